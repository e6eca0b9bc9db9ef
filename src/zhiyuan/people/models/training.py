"""培训 (办法 Art. 8: 培训名称、主要内容、学习时长、举办单位、日期), its materials, sessions and completions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class TrainingCourse(TimeStampedModel):
    name = models.CharField(_("培训名称"), max_length=120)
    content = models.TextField(_("主要内容"))
    hours = models.DecimalField(_("学习时长（小时）"), max_digits=5, decimal_places=1)
    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("举办单位"),
        on_delete=models.PROTECT,
        related_name="training_courses",
    )
    date = models.DateField(_("日期"))
    required_for = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("必修队伍"),
        blank=True,
        related_name="required_courses",
        help_text=_("这些队伍（含下级）的志愿者须完成本培训，才能报名班次"),
    )

    history = HistoricalRecords(m2m_fields=[required_for])

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["-date", "name"]

    def __str__(self) -> str:
        return self.name


class TrainingMaterial(TimeStampedModel):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("标题"), max_length=120)
    file = models.FileField(_("文件"), upload_to="training/%Y/", blank=True)
    url = models.URLField(_("链接"), blank=True, help_text=_("视频或在线文档地址"))

    class Meta:
        verbose_name = _("培训资料")
        verbose_name_plural = _("培训资料")

    def __str__(self) -> str:
        return self.title


class TrainingSession(TimeStampedModel):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveIntegerField(_("名额"))

    class Meta:
        verbose_name = _("培训场次")
        verbose_name_plural = _("培训场次")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_times"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"


class TrainingAttendance(TimeStampedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("已报名")
        ATTENDED = "attended", _("已出席")
        ABSENT = "absent", _("缺席")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    volunteer = models.ForeignKey(
        "people.Volunteer", on_delete=models.CASCADE, related_name="training_attendances"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("培训出席")
        verbose_name_plural = _("培训出席")
        constraints = [models.UniqueConstraint(fields=["session", "volunteer"], name="attendance_once")]


class TrainingCompletion(TimeStampedModel):
    """A volunteer has completed a course: from attending a session, or recorded directly."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="completions")
    volunteer = models.ForeignKey(
        "people.Volunteer", on_delete=models.CASCADE, related_name="training_completions"
    )
    completed_on = models.DateField(_("完成日期"))
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训完成记录")
        verbose_name_plural = _("培训完成记录")
        constraints = [models.UniqueConstraint(fields=["course", "volunteer"], name="completion_once")]
