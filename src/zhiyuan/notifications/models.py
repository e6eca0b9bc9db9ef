"""The in-app inbox (`Notification`), one `Delivery` per outside channel, a person's `Preference` (channels
per kind, a daily digest, quiet hours), and `PeriodicRun`, the claim that lets a scheduled job slot run once
however many schedulers and workers are up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.models import TimeStampedModel


class Kind(models.TextChoices):
    """What a notification is about: the unit a person chooses channels for (notifications.handoffs)."""

    REPORTS = "reports", _("上报与审核")
    SHIFTS = "shifts", _("班次、报名与换班")
    HOURS = "hours", _("服务时长与更正")
    RECRUITMENT = "recruitment", _("招募与培训")
    DUTIES = "duties", _("集中服务报备")
    INCIDENTS = "incidents", _("站点突发情况")
    EMERGENCY = "emergency", _("应急响应")
    ACCOUNTS = "accounts", _("账号与邀请")
    GENERAL = "general", _("其他通知")
    DIGEST = "digest", _("每日汇总")


# Kinds nobody can mute, hold for a digest or delay for quiet hours: an emergency call-out must ring.
URGENT_KINDS = frozenset({Kind.EMERGENCY.value})


class Notification(TimeStampedModel):
    """One message in one person's inbox. The inbox is always a channel, so this row is the notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # "remind 联络员 X of rule R, period P, 2 h before": the same key never reaches the same person twice
    key = models.CharField(_("去重键"), max_length=200, null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    event = models.CharField(_("事件"), max_length=60, blank=True)  # a hand-off's name, "report.returned"
    # outside deliveries held back for the person's daily digest (Preference.digest)
    held = models.BooleanField(_("待汇总"), default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=models.Q(key__isnull=False),
                name="notification_once_per_key",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.subject


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Delivery(TimeStampedModel):
    """Sending one notification through one outside channel; a failed one stays here with its error."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class Preference(TimeStampedModel):
    """How one person wants to hear. No row means the defaults: every channel they can be reached on, at
    once, at any hour. The inbox is always on; urgent kinds ignore all of this."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    # {"reports": ["sms"]}: the outside channels turned off for a kind
    muted = models.JSONField(_("已关闭的渠道"), default=dict, blank=True)
    digest = models.BooleanField(_("每日汇总代替逐条短信和邮件"), default=False)
    quiet_from = models.TimeField(_("免打扰开始（北京时间）"), null=True, blank=True)
    quiet_to = models.TimeField(_("免打扰结束（北京时间）"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return f"{self.user_id}"

    def wants(self, kind: str, channel: str) -> bool:
        return kind in URGENT_KINDS or channel not in self.muted.get(kind, [])


class PeriodicRun(TimeStampedModel):
    """A claimed slot of a periodic job (job "report_reminders", slot "2026-11-23T08:05Z")."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("已排队")
        RUNNING = "running", _("运行中")
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=100)
    slot = models.CharField(_("时段"), max_length=40)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("定时任务运行")
        verbose_name_plural = _("定时任务运行")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="periodic_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"
