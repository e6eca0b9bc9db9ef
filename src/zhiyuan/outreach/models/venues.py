"""场馆: museums, the science centre, libraries and parks that open free or give guided tours to organised
groups of migrant workers (seed 000 §三(二)1), and the groups' reservation requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class Venue(TimeStampedModel):
    class Kind(models.TextChoices):
        MUSEUM = "museum", _("博物馆")
        SCIENCE = "science", _("科技馆")
        ART = "art", _("美术馆")
        LIBRARY = "library", _("图书馆")
        PARK = "park", _("公园")
        ZOO = "zoo", _("动物园")
        GARDEN = "garden", _("植物园")
        HERITAGE = "heritage", _("文物古迹")
        OTHER = "other", _("其他")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("负责单位"),
        on_delete=models.PROTECT,
        related_name="venues",
        help_text=_("受理集体预约的单位"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("活动"), null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    free_rules = models.TextField(_("免费开放与入场方式"), blank=True)
    guided_tours = models.BooleanField(_("提供义务讲解"), default=False)
    accepts_groups = models.BooleanField(_("接受集体预约"), default=True)
    max_group_size = models.PositiveIntegerField(_("每团人数上限"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    published = models.BooleanField(_("公开"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("场馆")
        verbose_name_plural = _("场馆")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class VenueReservation(TimeStampedModel):
    """集体预约: an organisation asks to bring a group on a date; the venue's unit accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已婉拒")

    venue = models.ForeignKey(
        Venue, verbose_name=_("场馆"), on_delete=models.CASCADE, related_name="reservations"
    )
    code = models.CharField(_("预约码"), max_length=12, unique=True)
    organization_name = models.CharField(_("组织单位"), max_length=100)
    contact_name = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    size = models.PositiveIntegerField(_("人数"))
    visit_date = models.DateField(_("参观日期"))
    guided_tour = models.BooleanField(_("需要讲解"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("答复"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集体预约")
        verbose_name_plural = _("集体预约")
        ordering = ["visit_date", "pk"]
        indexes = [models.Index(fields=["venue", "status", "visit_date"])]
        constraints = [models.CheckConstraint(condition=models.Q(size__gte=1), name="reservation_size")]
