"""邻里守望 community events (包饺子, 送饺子, 迎春活动, 文艺演出, 放映电影) that migrant workers and their
families sign up for. An event may be a volunteer shift too, so the volunteers' hours count through the
shift/check-in flow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class CommunityEvent(TimeStampedModel):
    class Kind(models.TextChoices):
        DUMPLINGS = "dumplings", _("包饺子")
        DUMPLING_DELIVERY = "dumpling_delivery", _("送饺子")
        SPRING = "spring", _("迎春活动")
        PERFORMANCE = "performance", _("文艺演出")
        FILM = "film", _("放映电影")
        OTHER = "other", _("其他")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="community_events",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("介绍"), blank=True, max_length=3000)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额（人）"))
    taken = models.PositiveIntegerField(_("已报名（人）"), default=0, editable=False)
    published = models.BooleanField(_("公开报名"), default=True)
    shift = models.ForeignKey(
        "campaigns.Shift",
        verbose_name=_("志愿者班次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_events",
        help_text=_("志愿者通过此班次报名、签到，服务时长计入台账"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("社区活动")
        verbose_name_plural = _("社区活动")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["published", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_times"),
            # behind the row lock in services.events: never more people than places
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("capacity")), name="event_not_full"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.taken, 0)


class EventSignup(TimeStampedModel):
    event = models.ForeignKey(CommunityEvent, on_delete=models.CASCADE, related_name="signups")
    code = models.CharField(_("报名码"), max_length=12, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("联系电话"), max_length=20)
    party_size = models.PositiveSmallIntegerField(_("人数"), default=1, help_text=_("含家属"))
    attended = models.BooleanField(_("已到场"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "phone"], name="event_signup_once_per_phone"),
            models.CheckConstraint(condition=models.Q(party_size__gte=1), name="event_party_size"),
        ]
