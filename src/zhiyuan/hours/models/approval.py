"""超时长审批: hours beyond a day's cap wait for a higher level before they enter the ledger.

Up to 8 h a day are credited at sign-out; the part from 8 to 12 h waits for the recording unit's parent
organisation, the part above 12 h for the level above that (i志愿's rule, see REGULATIONS.md §8). Only an
approval writes the ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.models import TimeStampedModel


class HoursApproval(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    volunteer = models.ForeignKey(
        "people.Volunteer", on_delete=models.PROTECT, related_name="hours_approvals"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        "organizations.Organization", verbose_name=_("审批单位"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("审批级别"))  # 1: 8–12 h, 2: above 12 h
    shift = models.ForeignKey(
        "campaigns.Shift", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "campaigns.Station", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.CharField(_("活动名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    responsible_name = models.CharField(_("活动负责人"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=20)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("小时"), max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checkout = models.ForeignKey(
        "hours.CheckIn", null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("审批意见"), max_length=200, blank=True)
    ledger_entry = models.OneToOneField(
        "hours.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="approval"
    )

    class Meta:
        verbose_name = _("超时长审批")
        verbose_name_plural = _("超时长审批")
        indexes = [
            models.Index(fields=["approver", "status"]),
            models.Index(fields=["volunteer", "starts_at"]),
        ]


class Backfill(TimeStampedModel):
    """补录: missed hours entered only through a request — by a leader, with a reason and evidence — that
    someone else at the recording unit approves; the entry it writes is marked 补录 with its approver."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已补录")
        REJECTED = "rejected", _("不予补录")

    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="backfills")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.CharField(_("活动名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("补录原因"), max_length=200)
    evidence = models.TextField(_("证明材料"), max_length=2000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=200, blank=True)
    ledger_entry = models.OneToOneField(
        "hours.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="backfill"
    )

    class Meta:
        verbose_name = _("补录申请")
        verbose_name_plural = _("补录申请")
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="backfill_interval"
            )
        ]
