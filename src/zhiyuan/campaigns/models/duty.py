"""集中志愿服务安排 (attachment 5): the rotation of responsible organisations at the stations, and 报备."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class Duty(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")
        POSTPONED = "postponed", _("已顺延")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="duties")
    date = models.DateField(_("时间"))
    station = models.ForeignKey(
        "campaigns.Station",
        verbose_name=_("站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duties",
    )
    place = models.CharField(_("地点"), max_length=100, help_text=_("例如 火车站、火车东站、航空港候机楼"))
    content = models.CharField(_("活动内容"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="duties",
    )
    responsible_label = models.CharField(
        _("责任单位（文件写法）"),
        max_length=100,
        blank=True,
        help_text=_("附件5中的写法，如“巾帼志愿服务队（市妇联）”"),
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    postponed_to = models.DateField(_("顺延至"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集中服务安排")
        verbose_name_plural = _("集中服务安排")
        ordering = ["campaign", "date", "order"]
        indexes = [models.Index(fields=["campaign", "date"]), models.Index(fields=["responsible", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.place} {self.responsible}"


class DutyFiling(TimeStampedModel):
    """报备: notice given before the duty's date that it is cancelled or postponed (e.g. 严重雾霾)."""

    class Kind(models.TextChoices):
        CANCEL = "cancel", _("取消")
        POSTPONE = "postpone", _("顺延")

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("原因"), max_length=200)
    weather = models.CharField(_("天气情况"), max_length=100, blank=True)
    new_date = models.DateField(_("顺延日期"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("报备")
        verbose_name_plural = _("报备")
