"""活动: a campaign with its phases, programmes and service items (seed 000 §二–四)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class Anchor(models.TextChoices):
    """What a campaign's dates follow from one year to the next (issue 12 item 5)."""

    SPRING_FESTIVAL = "spring_festival", _("春节（随农历新年移动）")
    CALENDAR = "calendar", _("公历（次年同月同日）")


class Campaign(TimeStampedModel):
    slug = models.SlugField(_("代码"), unique=True, help_text=_("例如 chunyun-2019"))
    title = models.CharField(_("名称"), max_length=200)
    theme = models.CharField(_("主题"), max_length=200, blank=True)
    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)
    anchor = models.CharField(
        _("日期锚定"),
        max_length=20,
        choices=Anchor.choices,
        default=Anchor.CALENDAR,
        help_text=_("复制到新的一年时，日期随春节移动还是保持同月同日"),
    )
    # the 备注 line printed under each attachment, by number: {"3": "备注：请1月23日12时前……"}
    form_notes = models.JSONField(_("附件备注"), default=dict, blank=True)
    cloned_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year_label(self) -> str:
        """The campaign as a picker names it: its title, with the year when the title has none."""
        year = str(self.starts_on.year)
        return self.title if year in self.title else f"{year}年 {self.title}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def days_left(self, today: date | None = None) -> int:
        return max((self.ends_on - (today or timezone.localdate())).days, 0)


class Phase(TimeStampedModel):
    class Kind(models.TextChoices):
        PREPARE = "prepare", _("准备阶段")
        IMPLEMENT = "implement", _("实施阶段")
        SUMMARY = "summary", _("总结阶段")
        OTHER = "other", _("其他")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "starts_on"]

    def __str__(self) -> str:
        return self.name


class Programme(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["campaign", "order"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("服务内容"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    responsible = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("责任单位"), blank=True, related_name="service_items"
    )
    responsible_note = models.CharField(
        _("其他责任单位"), max_length=300, blank=True, help_text=_("文件中的泛指单位，如“各级文明单位”")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["programme", "order"]

    def __str__(self) -> str:
        return self.title
