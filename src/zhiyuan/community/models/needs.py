"""需求摸排: volunteers visit construction sites, projects, companies and labour markets and record what the
migrant workers they meet need — going home or staying, wages paid or owed, help booking a ticket.

Personal data is minimised (办法/PIPL Art. 6): the name is optional, a phone only for those who want ticket
help, and never an ID number."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class SiteVisit(TimeStampedModel):
    class SiteKind(models.TextChoices):
        CONSTRUCTION = "construction", _("建筑工地")
        PROJECT = "project", _("重点项目")
        COMPANY = "company", _("大型企业")
        LABOUR_MARKET = "labour_market", _("劳务市场")

    site_name = models.CharField(_("地点名称"), max_length=100)
    site_kind = models.CharField(_("地点类型"), max_length=20, choices=SiteKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("走访单位"),
        on_delete=models.PROTECT,
        related_name="site_visits",
    )
    district = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("属地文明办"),
        on_delete=models.PROTECT,
        related_name="district_site_visits",
        help_text=_("地点所在的区（县）文明办，汇总按此统计"),
    )
    visited_on = models.DateField(_("走访日期"))
    people_met = models.PositiveIntegerField(_("走访人数"))
    note = models.TextField(_("备注"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["district", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.site_name}"


class NeedRecord(TimeStampedModel):
    """One person's needs, as told at a visit."""

    class Plan(models.TextChoices):
        RETURN = "return", _("返乡")
        STAY = "stay", _("留守过节")
        UNDECIDED = "undecided", _("未定")

    class Wages(models.TextChoices):
        PAID = "paid", _("已结清")
        OWED = "owed", _("被拖欠")
        UNKNOWN = "unknown", _("未说明")

    class Ticket(models.TextChoices):
        NOT_NEEDED = "not_needed", _("无需帮助")
        WANTED = "wanted", _("需要帮助订票")
        BOOKED = "booked", _("已订到")
        NOT_BOOKED = "not_booked", _("未订到")

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="needs")
    name = models.CharField(_("称呼"), max_length=30, blank=True, help_text=_("可不填"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, help_text=_("仅需订票帮助时填写"))
    plan = models.CharField(_("春节安排"), max_length=20, choices=Plan.choices, default=Plan.UNDECIDED)
    return_on = models.DateField(_("计划返乡日期"), null=True, blank=True)
    destination = models.CharField(_("返乡目的地"), max_length=50, blank=True)
    wages = models.CharField(_("工资发放"), max_length=20, choices=Wages.choices, default=Wages.UNKNOWN)
    owed_amount = models.DecimalField(_("拖欠金额（元）"), max_digits=10, decimal_places=2, default=0)
    employer = models.CharField(_("用工单位"), max_length=100, blank=True)
    ticket = models.CharField(_("订票帮助"), max_length=20, choices=Ticket.choices, default=Ticket.NOT_NEEDED)
    ticket_note = models.CharField(_("订票说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("需求记录")
        verbose_name_plural = _("需求记录")
        ordering = ["visit", "pk"]
        indexes = [models.Index(fields=["ticket"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(owed_amount__gte=0), name="need_owed_not_negative"),
        ]
