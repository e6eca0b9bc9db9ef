"""上报规则: who must submit which form, for which campaign, by when (seed 000 §五(二), seed 001 §五(三))."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class Form(models.TextChoices):
    PLAN = "plan", _("活动方案")
    DYNAMIC_INFO = "dynamic_info", _("动态信息")
    ACTIVITY_REPORT = "activity_report", _("活动信息上报表（附件4）")
    SUMMARY = "summary", _("活动总结")
    DAILY_BRIEF = "daily_brief", _("每日简报")
    WEEKLY_SUMMARY = "weekly_summary", _("本周总结及下周计划")
    ROSTER = "roster", _("志愿服务队人员名单")
    CONTACTS = "contacts", _("各单位信息一览表（附件2）")
    TICKETS = "tickets", _("赠票活动情况统计表（附件3）")


class DeadlineKind(models.TextChoices):
    ABSOLUTE = "absolute", _("固定时间")
    RELATIVE = "relative", _("事件后若干小时")
    DAILY = "daily", _("每天")
    WEEKLY = "weekly", _("每周")
    ANY_TIME = "any_time", _("随时上报（无截止）")


class RelativeTo(models.TextChoices):
    DUTY_END = "duty_end", _("每次集中服务结束后")
    CAMPAIGN_END = "campaign_end", _("活动结束后")


class ReportRule(TimeStampedModel):
    """Who must submit: the explicit `organizations`, plus `applies_to` itself when `include_root`, plus
    its descendants of `applies_to_kinds` down to `applies_to_depth` levels (empty depth: any depth).
    A rule relative to duties is due from each duty's responsible organisation instead."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_rules",
    )
    title = models.CharField(_("名称"), max_length=200)
    form = models.CharField(_("表单"), max_length=30, choices=Form.choices)
    description = models.TextField(_("要求"), blank=True)
    photos_required = models.BooleanField(_("须附图片"), default=False)

    applies_to = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("上报范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    include_root = models.BooleanField(_("含该组织本身"), default=False)
    applies_to_kinds = models.JSONField(_("下级组织类型"), default=list, blank=True)
    applies_to_depth = models.PositiveSmallIntegerField(
        _("下级层数"), null=True, blank=True, help_text=_("1 为直属下级；留空为全部下级")
    )
    organizations = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("指定单位"), blank=True, related_name="report_rules"
    )

    # 报送给谁: 市文明办 (seed 000), 文宣办 (seed 001 "人员名单报文宣办"); empty: the campaign's organiser
    receiver = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_report_rules",
        help_text=_("留空为活动主办单位"),
    )

    deadline_kind = models.CharField(_("截止方式"), max_length=20, choices=DeadlineKind.choices)
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    relative_to = models.CharField(_("相对事件"), max_length=20, choices=RelativeTo.choices, blank=True)
    relative_hours = models.PositiveIntegerField(_("事件后小时数"), null=True, blank=True)
    due_time = models.TimeField(_("截止时刻（北京时间）"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("星期"), null=True, blank=True, help_text=_("0 为周一，4 为周五")
    )
    include_weekends = models.BooleanField(
        _("周末和节假日也要报"), default=False, help_text=_("不勾选时，只在工作日（含调休上班日）上报")
    )
    active_from = models.DateField(_("起始日期"), null=True, blank=True)
    active_to = models.DateField(_("截止日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("上报规则")
        verbose_name_plural = _("上报规则")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "title"], name="reportrule_title_once"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        kind = self.deadline_kind
        if kind == DeadlineKind.ABSOLUTE and not self.due_at:
            errors["due_at"] = _("固定时间的规则须填写截止时间。")
        if kind == DeadlineKind.RELATIVE:
            if not self.relative_to:
                errors["relative_to"] = _("请选择相对的事件。")
            if self.relative_hours is None:
                errors["relative_hours"] = _("请填写事件后多少小时内上报。")
            if self.relative_to and not self.campaign_id:
                errors["campaign"] = _("相对事件的规则须属于某个活动。")
        if kind in (DeadlineKind.DAILY, DeadlineKind.WEEKLY) and self.due_time is None:
            errors["due_time"] = _("请填写截止时刻。")
        if kind == DeadlineKind.WEEKLY and (self.weekday is None or self.weekday > 6):
            errors["weekday"] = _("请选择星期几（0 为周一）。")
        if self.active_from and self.active_to and self.active_to < self.active_from:
            errors["active_to"] = _("截止日期不能早于起始日期。")
        if errors:
            raise ValidationError(errors)
