"""上报: one unit's report for one rule and period, its append-only revisions, photos/videos and review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class AppendOnly(Exception):
    pass


class Submission(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已采用")

    rule = models.ForeignKey(
        "reporting.ReportRule",
        verbose_name=_("上报规则"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("上报单位"),
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    period = models.CharField(_("期次"), max_length=40, help_text=_("如 2019-01-23、2019-W04、duty-17、once"))
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    duty = models.ForeignKey(
        "campaigns.Duty",
        verbose_name=_("集中服务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField(_("正文"), blank=True)
    fields = models.JSONField(_("表单内容"), default=dict, blank=True)

    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    # Judged on the first submission: a report returned for revision was still delivered on time.
    on_time = models.BooleanField(_("按时"), null=True, blank=True)
    late_by = models.DurationField(_("逾期"), null=True, blank=True)
    revision_count = models.PositiveIntegerField(_("提交次数"), default=0)

    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    selected = models.BooleanField(_("择优选用"), default=False)
    selected_at = models.DateTimeField(_("选用时间"), null=True, blank=True)
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    public_title = models.CharField(_("发布标题"), max_length=200, blank=True)
    public_text = models.TextField(_("发布正文"), blank=True)
    public_photos = models.ManyToManyField(
        "reporting.SubmissionFile", verbose_name=_("发布图片"), blank=True, related_name="published_in"
    )

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(excluded_fields=["fields"])

    class Meta:
        verbose_name = _("上报")
        verbose_name_plural = _("上报")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "organization", "period"], name="submission_once_per_period"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["rule", "due_at"]),
            models.Index(fields=["published", "published_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.organization} · {self.period}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def delivered(self) -> bool:
        return self.first_submitted_at is not None

    def lateness(self) -> timedelta | None:
        return self.late_by if self.on_time is False else None


class SubmissionRevision(models.Model):
    """What was submitted each time: never changed, never deleted."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("正文"), blank=True)
    fields = models.JSONField(_("表单内容"), default=dict, blank=True)
    file_ids = models.JSONField(_("附件"), default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    late_by = models.DurationField(_("逾期"), null=True, blank=True)

    class Meta:
        verbose_name = _("上报版本")
        verbose_name_plural = _("上报版本")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="submission_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("revisions are never changed; submit a new one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("revisions are never deleted")


class SubmissionFile(TimeStampedModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("图片")
        VIDEO = "video", _("视频")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(
        _("来源"), max_length=60, blank=True, help_text=_("由数据预填时的出处，如 incident-12")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("上报附件")
        verbose_name_plural = _("上报附件")
        ordering = ["submission", "pk"]

    def __str__(self) -> str:
        return self.file.name or ""
