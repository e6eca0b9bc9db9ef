"""招募公告 and the applications to it (条例 Arts. 12, 17: risks and insurance are stated up front)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class Recruitment(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("招募中")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("发布单位"),
        on_delete=models.PROTECT,
        related_name="recruitments",
    )
    team = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("加入队伍"),
        on_delete=models.PROTECT,
        related_name="team_recruitments",
        help_text=_("录用的志愿者加入这支队伍"),
    )
    title = models.CharField(_("标题"), max_length=120)
    campaign = models.CharField(_("所属活动"), max_length=120, blank=True)
    programme = models.CharField(_("所属项目"), max_length=120, blank=True)
    content = models.TextField(_("服务内容"))
    recipients = models.CharField(_("服务对象"), max_length=200, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    time_slots = models.CharField(
        _("服务时段"), max_length=200, blank=True, help_text=_("例如：每天 8:00-12:00、14:00-18:00")
    )
    location = models.CharField(_("服务地点"), max_length=200)
    wanted = models.PositiveIntegerField(_("招募人数"))
    requirements = models.TextField(_("报名条件"), blank=True)
    skills = models.ManyToManyField("people.Skill", verbose_name=_("所需技能"), blank=True, related_name="+")
    minimum_age = models.PositiveSmallIntegerField(_("最低年龄"), default=0)
    risks = models.TextField(
        _("可能发生的风险"), help_text=_("《志愿服务条例》第十二条：如实说明服务中可能发生的风险")
    )
    training_offered = models.TextField(_("提供的培训"), blank=True)
    insurance = models.CharField(
        _("意外保险"),
        max_length=200,
        help_text=_("《志愿服务条例》第十七条：可能危及人身安全的活动须购买人身意外伤害保险"),
    )
    hours_recorder = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("服务记录及证明单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("谁组织谁记录，谁记录谁证明"),
    )
    deadline = models.DateTimeField(_("报名截止"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    approved_count = models.PositiveIntegerField(_("已录用"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("招募公告")
        verbose_name_plural = _("招募公告")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="recruitment_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_full(self) -> bool:
        return self.approved_count >= self.wanted

    @property
    def is_open(self) -> bool:
        """Open for applications: published, before the deadline and not yet full. Derived at read time,
        so a notice closes at its deadline to the second without a job having to run."""
        return self.status == self.Status.PUBLISHED and timezone.now() < self.deadline and not self.is_full


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已录用")
        REJECTED = "rejected", _("未录用")
        WITHDRAWN = "withdrawn", _("已撤回")

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="applications")
    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    motivation = models.TextField(_("报名说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(fields=["recruitment", "volunteer"], name="application_once_per_notice"),
        ]
        indexes = [models.Index(fields=["recruitment", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.recruitment_id}"
