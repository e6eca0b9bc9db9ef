"""签到 / 签退 scans and self-reported hours: where ledger entries come from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.models import TimeStampedModel


class CheckIn(TimeStampedModel):
    """One scan (or a leader's bulk entry). The device's idempotency key makes a replayed or re-synced
    scan a no-op; a sign-out closes the open sign-in and writes the ledger entry."""

    class Kind(models.TextChoices):
        IN = "in", _("签到")
        OUT = "out", _("签退")

    class Source(models.TextChoices):
        SCAN = "scan", _("扫码")
        BULK = "bulk", _("队长批量")
        FIX = "fix", _("补签")

    key = models.CharField(_("幂等键"), max_length=64, unique=True)
    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="checkins")
    kind = models.CharField(_("类型"), max_length=5, choices=Kind.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.SCAN)
    shift = models.ForeignKey(
        "campaigns.Shift", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "campaigns.Station", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    flagged = models.CharField(_("待核查原因"), max_length=200, blank=True)
    # A scan is written once; reviewing its flag is the only change it ever sees, so the row keeps who
    # cleared the flag, when and why beside the original reason: that is its whole history.
    flag_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    flag_cleared_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    flag_note = models.CharField(_("核查说明"), max_length=200, blank=True)
    note = models.CharField(_("补签原因"), max_length=200, blank=True)
    # Held: an offline scan whose time falls outside the booking (or whose code was not valid then) is kept,
    # never credited and never dropped, until a leader looks at it; it opens and closes nothing.
    held = models.BooleanField(_("待核查，未计入"), default=False)
    received_at = models.DateTimeField(_("服务器收到时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paired_with = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="closing"
    )
    ledger_entry = models.OneToOneField(
        "hours.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="checkout"
    )

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        indexes = [
            models.Index(fields=["volunteer", "kind", "at"]),
            models.Index(fields=["shift", "kind"]),
            models.Index(fields=["station", "at"]),
        ]

    @property
    def needs_review(self) -> bool:
        return bool(self.flagged) and self.flag_cleared_at is None


class SelfReport(TimeStampedModel):
    """Service done outside a scanned shift, reported by the volunteer; only approval writes the ledger."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已认定")
        REJECTED = "rejected", _("未认定")

    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="self_reports")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("队伍"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.CharField(_("活动名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("服务内容"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    photo = models.ImageField(_("照片"), upload_to="self_reports/%Y/", blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=200, blank=True)
    ledger_entry = models.OneToOneField(
        "hours.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="self_report"
    )

    class Meta:
        verbose_name = _("自主申报")
        verbose_name_plural = _("自主申报")
