"""新闻: published news for the public portal, written by officers or published from a report submission."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class News(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("发布单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示平台发布"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), max_length=20000)
    source_label = models.CharField(_("来源"), max_length=100, blank=True)
    source_submission_id = models.PositiveIntegerField(_("来源上报编号"), null=True, blank=True, unique=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unpublished_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.unpublished_at is None


class NewsPhoto(TimeStampedModel):
    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="news/%Y/")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("新闻照片")
        verbose_name_plural = _("新闻照片")
        ordering = ["news", "order", "pk"]
