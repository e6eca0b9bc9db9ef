"""站点: a “文明使者” service station, its linked teams (attachment 1), consumables, the Henan 六有一落实
standard, and services given (its 工作台账 together with duties, shifts and incidents)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class Service(models.TextChoices):
    INFORMATION = "information", _("信息咨询")
    GUIDANCE = "guidance", _("引导")
    HOT_WATER = "hot_water", _("热水")
    SEWING = "sewing", _("针线")
    MEDICINE = "medicine", _("药品")
    SAFETY = "safety", _("安全知识")
    LEGAL_AID = "legal_aid", _("法律援助")
    TICKETS = "tickets", _("购票帮助")
    ORDER = "order", _("维持秩序")


class Station(TimeStampedModel):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stations",
        help_text=_("常设站点可不属于活动"),
    )
    name = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("站点设置"), max_length=100, help_text=_("例如 郑州火车站"))
    sub_location = models.CharField(_("位置"), max_length=100, blank=True, help_text=_("例如 东广场"))
    points = models.PositiveSmallIntegerField(_("服务点数量"), default=1)
    responsible_office = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属文明办"),
        on_delete=models.PROTECT,
        related_name="stations",
    )
    teams = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("联动志愿服务团队"),
        through="StationLink",
        related_name="linked_stations",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("服务时间"), max_length=100, blank=True)
    hotline = models.CharField(_("服务热线"), max_length=20, blank=True)
    services = models.JSONField(_("服务项目"), default=list, blank=True)
    standard_due_on = models.DateField(
        _("达标期限"), null=True, blank=True, help_text=_("六有一落实完成期限")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    allow_adhoc = models.BooleanField(
        _("允许临时签到"), default=False, help_text=_("没有报名班次的志愿者扫站点二维码也可签到")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("站点")
        verbose_name_plural = _("站点")
        ordering = ["campaign", "order", "name"]
        indexes = [models.Index(fields=["responsible_office"])]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """A station in a picker or a list: cloned stations keep their names, so the campaign and its year
        tell this year's 东广场 from last year's. Load `campaign` with the station (select_related)."""
        if self.campaign_id is None:
            return self.name
        assert self.campaign is not None
        return f"{self.name}（{self.campaign.year_label}）"


class StationLink(TimeStampedModel):
    """联动志愿服务团队: a team linked to a station (attachment 1)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="links")
    team = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="station_links"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("联动团队")
        verbose_name_plural = _("联动团队")
        ordering = ["station", "order"]
        constraints = [models.UniqueConstraint(fields=["station", "team"], name="stationlink_once")]


class Consumable(TimeStampedModel):
    """A stocked item (hot-water cups, medicine); quantity only changes through StockMovement."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="consumables")
    name = models.CharField(_("物品"), max_length=50)
    unit = models.CharField(_("单位"), max_length=10, default="个")
    quantity = models.IntegerField(_("库存"), default=0)
    low_threshold = models.PositiveIntegerField(_("预警数量"), default=10)

    class Meta:
        verbose_name = _("物资")
        verbose_name_plural = _("物资")
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="consumable_once"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="consumable_not_negative"),
        ]

    @property
    def is_low(self) -> bool:
        return self.quantity <= self.low_threshold


class StockMovement(TimeStampedModel):
    consumable = models.ForeignKey(Consumable, on_delete=models.CASCADE, related_name="movements")
    delta = models.IntegerField(_("变动"))
    reason = models.CharField(_("原因"), max_length=100)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class StandardItem(models.TextChoices):
    """河南省“六有一落实”: the six haves and one carried out."""

    SIGN = "sign", _("有统一标识")
    PREMISES = "premises", _("有办公场所")
    TEAM = "team", _("有志愿者队伍")
    RULES = "rules", _("有管理制度")
    LEDGER = "ledger", _("有工作台账")
    SERVICES = "services", _("有服务项目")
    ACTIVITIES = "activities", _("落实志愿服务活动")


class StandardCheck(TimeStampedModel):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="standard_checks")
    item = models.CharField(_("标准"), max_length=20, choices=StandardItem.choices)
    met = models.BooleanField(_("已达标"), default=False)
    evidence = models.ImageField(_("佐证照片"), upload_to="stations/%Y/", blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("六有一落实")
        verbose_name_plural = _("六有一落实")
        constraints = [models.UniqueConstraint(fields=["station", "item"], name="standard_once")]


class ServiceGiven(TimeStampedModel):
    """Services given at a station on a day (e.g. 热水 120 次): part of its 工作台账."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="services_given")
    day = models.DateField(_("日期"))
    service = models.CharField(_("服务"), max_length=20, choices=Service.choices)
    count = models.PositiveIntegerField(_("次数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        indexes = [models.Index(fields=["station", "day"])]
