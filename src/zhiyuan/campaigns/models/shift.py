"""班次 / 报名 / 候补: shifts at a station, duty or activity, sign-ups with a waiting list, swaps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class RecurringShift(TimeStampedModel):
    """A weekly pattern (seed 001's five hours a week) that generates shifts for a period."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "campaigns.Station", null=True, blank=True, on_delete=models.CASCADE, related_name="recurring_shifts"
    )
    title = models.CharField(_("名称"), max_length=100)
    weekdays = models.JSONField(_("星期"), default=list, help_text=_("1=周一 … 7=周日"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("截止日期"))
    capacity = models.PositiveIntegerField(_("名额"))

    class Meta:
        verbose_name = _("每周班次")
        verbose_name_plural = _("每周班次")


class Shift(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="shifts"
    )
    station = models.ForeignKey(
        "campaigns.Station",
        verbose_name=_("站点"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shifts",
    )
    duty = models.ForeignKey(
        "campaigns.Duty", null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    recurrence = models.ForeignKey(
        RecurringShift, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    title = models.CharField(_("名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    minimum = models.PositiveIntegerField(_("最少人数"), default=0)
    minors_allowed = models.BooleanField(_("允许未成年人"), default=False)
    required_skills = models.ManyToManyField(
        "people.Skill", verbose_name=_("所需技能"), blank=True, related_name="+"
    )
    required_courses = models.ManyToManyField(
        "people.TrainingCourse", verbose_name=_("须完成培训"), blank=True, related_name="gated_shifts"
    )
    cutoff_hours = models.PositiveSmallIntegerField(
        _("取消截止（小时）"), default=12, help_text=_("开始前多少小时内不能再报名或取消")
    )
    accepted_count = models.PositiveIntegerField(_("已报名"), default=0, editable=False)
    # a cancelled shift keeps its row (sign-ups, history, scans point at it); it takes no more sign-ups
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["station", "starts_at"]),
            models.Index(fields=["organization", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_times"),
            # the last line of defence behind the row lock: a shift is never overbooked
            models.CheckConstraint(
                condition=models.Q(accepted_count__lte=models.F("capacity")), name="shift_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"


class Signup(TimeStampedModel):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("已报名")
        WAITLISTED = "waitlisted", _("候补")
        CANCELLED = "cancelled", _("已取消")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["shift", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=~models.Q(status="cancelled"),
                name="signup_once_per_shift",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "status"]), models.Index(fields=["shift", "status"])]


class SwapRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("已拒绝")

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="swap_requests")
    to_volunteer = models.ForeignKey("people.Volunteer", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
