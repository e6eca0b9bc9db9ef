"""赠票 (attachment 3): free tickets given by parks, the zoo, 文庙 …, and the claims that reserve them.

Stock is a counter on the donation (`claimed`), changed only under the donation's row lock and guarded by a
check constraint: a claim never takes more than remains, and an expired or cancelled claim gives back
exactly what it took.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class TicketDonation(TimeStampedModel):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("活动"),
        on_delete=models.CASCADE,
        related_name="ticket_donations",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("负责单位"),
        on_delete=models.PROTECT,
        related_name="ticket_donations",
        help_text=_("发放赠票、核销领取的单位"),
    )
    venue = models.ForeignKey(
        "outreach.Venue",
        verbose_name=_("场馆"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket_donations",
    )
    # attachment 3, in its order
    donor = models.CharField(_("赠票单位"), max_length=100)
    supervisor = models.CharField(_("主管单位"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("赠票数量"))
    requirements = models.CharField(
        _("领取要求"), max_length=200, blank=True, help_text=_("如：提供身份证复印件等")
    )
    claim_time = models.CharField(_("领取时间"), max_length=100, blank=True)
    claim_place = models.CharField(_("领取地点"), max_length=200, blank=True)
    contact = models.CharField(_("联系人及联系方式"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # what the public claim needs beyond the form
    title = models.CharField(_("票种"), max_length=100, blank=True, help_text=_("如：动物园门票"))
    claim_opens_at = models.DateTimeField(_("开始预约"), null=True, blank=True)
    claim_closes_at = models.DateTimeField(_("截止预约"), null=True, blank=True)
    per_claim_limit = models.PositiveSmallIntegerField(_("每次最多领取"), default=10)
    hold_hours = models.PositiveSmallIntegerField(
        _("保留时长（小时）"), default=72, help_text=_("预约后未在此时间内领取的，票退回可领数量")
    )
    claimed = models.PositiveIntegerField(_("已预约及已领取"), default=0, editable=False)
    published = models.BooleanField(_("公开"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("赠票")
        verbose_name_plural = _("赠票")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claimed__lte=models.F("quantity")), name="ticket_not_overclaimed"
            ),
            models.CheckConstraint(condition=models.Q(per_claim_limit__gte=1), name="ticket_claim_limit"),
        ]

    def __str__(self) -> str:
        return self.title or self.donor

    @property
    def remaining(self) -> int:
        return max(self.quantity - self.claimed, 0)


class TicketClaim(TimeStampedModel):
    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        GROUP = "group", _("单位集体")

    class Status(models.TextChoices):
        RESERVED = "reserved", _("待领取")
        COLLECTED = "collected", _("已领取")
        EXPIRED = "expired", _("已过期")
        CANCELLED = "cancelled", _("已取消")

    donation = models.ForeignKey(
        TicketDonation, verbose_name=_("赠票"), on_delete=models.PROTECT, related_name="claims"
    )
    code = models.CharField(_("领取码"), max_length=12, unique=True)
    kind = models.CharField(_("领取方式"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("姓名或单位"), max_length=100)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20)
    quantity = models.PositiveSmallIntegerField(_("数量"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RESERVED)
    expires_at = models.DateTimeField(_("保留至"))
    collected_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["phone"])

    class Meta:
        verbose_name = _("赠票领取")
        verbose_name_plural = _("赠票领取")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["donation", "status"]),
            models.Index(fields=["donation", "phone"]),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="claim_quantity")]

    def __str__(self) -> str:
        return self.code
