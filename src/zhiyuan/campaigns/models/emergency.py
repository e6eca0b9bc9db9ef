"""应急志愿服务队 paired 1:1 with stations, 预案, activations and incidents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class EmergencyPairing(TimeStampedModel):
    station = models.OneToOneField(
        "campaigns.Station", on_delete=models.CASCADE, related_name="emergency_pairing"
    )
    team = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("应急志愿服务队"),
        on_delete=models.PROTECT,
        related_name="emergency_pairings",
    )

    class Meta:
        verbose_name = _("应急结对")
        verbose_name_plural = _("应急结对")
        # 一对一: one emergency team per station and one station per team, even under racing requests
        constraints = [models.UniqueConstraint(fields=["team"], name="emergency_pairing_team_once")]


class ContingencyPlan(TimeStampedModel):
    pairing = models.ForeignKey(EmergencyPairing, on_delete=models.CASCADE, related_name="plans")
    trigger = models.CharField(_("启动条件"), max_length=200, help_text=_("例如 恶劣天气导致交通中断"))
    steps = models.TextField(_("处置步骤"))
    contacts = models.TextField(_("联系人"), blank=True)
    supplies = models.TextField(_("物资"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")


class Activation(TimeStampedModel):
    plan = models.ForeignKey(ContingencyPlan, on_delete=models.PROTECT, related_name="activations")
    reason = models.CharField(_("启动原因"), max_length=200)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closing_note = models.TextField(_("总结"), blank=True)

    class Meta:
        verbose_name = _("预案启动")
        verbose_name_plural = _("预案启动")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(closed_at__isnull=True),
                name="activation_one_open_per_plan",
            )
        ]


class ActivationResponse(TimeStampedModel):
    activation = models.ForeignKey(Activation, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(_("通知时间"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activation", "user"], name="activation_response_once")
        ]


class Incident(TimeStampedModel):
    class Severity(models.TextChoices):
        LOW = "low", _("一般")
        MEDIUM = "medium", _("较重")
        HIGH = "high", _("严重")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ESCALATED = "escalated", _("已上报")
        RESOLVED = "resolved", _("已解决")

    station = models.ForeignKey("campaigns.Station", on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("类型"), max_length=50)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.LOW)
    description = models.TextField(_("情况"))
    photo = models.ImageField(_("照片"), upload_to="incidents/%Y/", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    resolution = models.TextField(_("处理结果"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("突发情况")
        verbose_name_plural = _("突发情况")
