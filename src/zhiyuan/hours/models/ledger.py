"""服务记录: the append-only hour ledger (办法 Art. 7) and its maintained weekly rollups.

Each volunteer's entries form a keyed hash chain (HMAC, services/ledger_hash.py): an entry's hash covers its
own fields and the previous entry's hash, so a row changed or removed behind the application's back breaks
the chain (`zhiyuan verify_ledger`), and without the key it cannot be re-hashed.
Nothing is updated or deleted: a correction is a reversal plus a replacement, with a reason and an approver.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.models import TimeStampedModel


class AppendOnly(Exception):
    """A ledger row was about to be changed or deleted."""


class LedgerEntry(models.Model):
    class Source(models.TextChoices):
        SCAN = "scan", _("扫码签到")
        BULK = "bulk", _("批量签到")
        SELF_REPORT = "self_report", _("自主申报")
        IMPORT = "import", _("导入")
        CORRECTION = "correction", _("更正")
        BACKFILL = "backfill", _("补录")
        VOID = "void", _("作废")

    class Kind(models.TextChoices):
        CREDIT = "credit", _("记录")
        REVERSAL = "reversal", _("冲销")

    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="ledger_entries")
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.CREDIT)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("活动组织单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shift = models.ForeignKey(
        "campaigns.Shift", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "campaigns.Station", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.CharField(_("活动名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    content = models.CharField(_("服务内容"), max_length=300, blank=True)
    responsible_name = models.CharField(_("活动负责人"), max_length=50, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("服务时间（小时）"), max_digits=6, decimal_places=2)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    # who approved an entry that was not scanned by the volunteer (a 补录, a void): part of the hash
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    key_id = models.CharField(_("哈希密钥指纹"), max_length=16, blank=True)  # services/ledger_hash.py
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["volunteer", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "seq"], name="ledger_chain_position"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="ledger_interval"
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "starts_at"]),
            models.Index(fields=["organization", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}#{self.seq} {self.hours}h"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("ledger entries are never changed; record a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("ledger entries are never deleted; record a correction instead")


class WeeklyRollup(TimeStampedModel):
    """Hours per volunteer and Beijing week (Monday), kept in the same transaction as the ledger, so
    dashboards never scan the ledger."""

    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.CASCADE, related_name="weekly_hours")
    week = models.DateField(_("周一"))
    hours = models.DecimalField(_("小时"), max_digits=8, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("每周时长")
        verbose_name_plural = _("每周时长")
        constraints = [models.UniqueConstraint(fields=["volunteer", "week"], name="rollup_once")]
        indexes = [models.Index(fields=["week"])]


class Correction(TimeStampedModel):
    """A correction request and its outcome (办法 Art. 13: the volunteer asks the recording organisation)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已更正")
        REJECTED = "rejected", _("不予更正")

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="corrections")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_volunteer = models.BooleanField(_("志愿者本人申请"), default=False)
    reason = models.CharField(_("原因"), max_length=200)
    new_starts_at = models.DateTimeField(_("更正后开始"), null=True, blank=True)
    new_ends_at = models.DateTimeField(_("更正后结束"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    replacement = models.ForeignKey(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("更正")
        verbose_name_plural = _("更正")
