"""求助: a request for help filed by anyone (or by a hotline operator on their behalf), routed to the
organisation that can act on it and tracked accepted → in progress → resolved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core import phones
from zhiyuan.core.models import TimeStampedModel


class HelpKind(models.TextChoices):
    INFORMATION = "information", _("信息咨询")
    TICKETS = "tickets", _("购票")
    LEGAL = "legal", _("法律援助")
    MEDICAL = "medical", _("医疗")
    WAGES = "wages", _("薪资")
    OTHER = "other", _("其他")


class HelpRoute(TimeStampedModel):
    """A kind of request that goes to one organisation wherever it was filed (薪资 → 市人社局, 法律援助 →
    法律援助志愿服务支队): the station in front of the person cannot settle a wage claim."""

    kind = models.CharField(_("求助类型"), max_length=20, choices=HelpKind.choices, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("求助分派规则")
        verbose_name_plural = _("求助分派规则")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.organization}"


class HelpRequest(TimeStampedModel):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("已受理")
        IN_PROGRESS = "in_progress", _("办理中")
        RESOLVED = "resolved", _("已办结")

    code = models.CharField(_("查询码"), max_length=12, unique=True, editable=False)
    kind = models.CharField(_("求助类型"), max_length=20, choices=HelpKind.choices)
    description = models.TextField(_("求助内容"), max_length=2000)
    name = models.CharField(_("称呼"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    station = models.ForeignKey(
        "campaigns.Station",
        verbose_name=_("所在站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    place = models.CharField(_("所在地点"), max_length=100, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    routed_by = models.CharField(_("分派依据"), max_length=20, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("热线代填人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("热线接线员代为登记时记录"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    in_progress_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("求助")
        verbose_name_plural = _("求助")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class HelpRequestNote(TimeStampedModel):
    """One step of the handling, shown to the requester on the status page (without who wrote it)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="notes")
    status = models.CharField(_("状态"), max_length=20, choices=HelpRequest.Status.choices)
    text = models.TextField(_("办理情况"), max_length=2000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["request", "created_at", "pk"]


def mask_phone(value: str) -> str:
    """`138****5678` for a mobile, `0371-****6891` for a landline."""
    if len(value) == 11 and value.isdigit():
        return phones.mask_mobile(value)
    if "-" in value:
        area, number = value.split("-", 1)
        return f"{area}-{'*' * max(len(number) - 4, 0)}{number[-4:]}"
    return "*" * max(len(value) - 4, 0) + value[-4:]
