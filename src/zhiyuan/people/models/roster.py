"""A roster import: an uploaded XLSX of volunteers and team memberships, processed by a background task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.models import TimeStampedModel


class RosterImport(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        REJECTED = "rejected", _("有错误，未导入")
        FAILED = "failed", _("处理失败")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("导入单位"),
        on_delete=models.PROTECT,
        related_name="roster_imports",
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    consent_evidence = models.CharField(
        _("本人同意方式"), max_length=200, help_text=_("名单中志愿者同意由单位代为登记的方式（办法第六条）")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    created_volunteers = models.PositiveIntegerField(_("新增志愿者"), default=0)
    created_memberships = models.PositiveIntegerField(_("新增队伍成员"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("已存在"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名单导入")
        verbose_name_plural = _("名单导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
