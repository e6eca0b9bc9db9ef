"""The 5-hour week, star levels, awards, evaluations (办法 Arts. 9–10) and certificates (Arts. 14–17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class WeeklyQuota(TimeStampedModel):
    """Hours each member should serve per Beijing week (Monday to Sunday); reaches the subtree."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="weekly_quota"
    )
    hours = models.DecimalField(_("每周时长（小时）"), max_digits=5, decimal_places=1, default=5)

    class Meta:
        verbose_name = _("每周时长要求")
        verbose_name_plural = _("每周时长要求")


class StarThreshold(TimeStampedModel):
    """Hours for each star; rows without an organisation are the defaults 100/300/600/1000/1500."""

    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="star_thresholds",
    )
    stars = models.PositiveSmallIntegerField(_("星级"))
    hours = models.DecimalField(_("累计时长"), max_digits=8, decimal_places=1)

    class Meta:
        verbose_name = _("星级标准")
        verbose_name_plural = _("星级标准")
        constraints = [models.UniqueConstraint(fields=["organization", "stars"], name="star_threshold_once")]


class Award(TimeStampedModel):
    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="awards")
    name = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"))
    granted_by = models.CharField(_("授予单位"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表彰奖励")
        verbose_name_plural = _("表彰奖励")


class Evaluation(TimeStampedModel):
    class Rating(models.IntegerChoices):
        POOR = 1, _("较差")
        FAIR = 2, _("一般")
        GOOD = 3, _("良好")
        EXCELLENT = 4, _("优秀")

    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="evaluations")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("服务质量评价"), choices=Rating.choices)
    date = models.DateField(_("评价日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")


class Certificate(TimeStampedModel):
    """志愿服务证明: free, self-printed, verifiable by its number; revocation shows on verification."""

    number = models.CharField(_("证明编号"), max_length=30, unique=True)
    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(
        "organizations.Organization", verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    hours = models.DecimalField(_("服务时间（小时）"), max_digits=8, decimal_places=2)
    content = models.CharField(_("服务内容"), max_length=500)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务证明")
        verbose_name_plural = _("志愿服务证明")
