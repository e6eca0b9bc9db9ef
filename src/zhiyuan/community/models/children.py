"""共铸留守情 · 快乐成长: migrant workers' children paired with 小小志愿者 or volunteers, the contacts that
follow, and donations to the children's schools.

A child's personal data is sensitive under PIPL Art. 28 (under 14) and is kept minimal: name, birth year,
school, guardian and the guardian's consent (Art. 31). Only the responsible officer and the platform admin
see it (selectors.children)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel

GUARDIAN_AGE = 14  # PIPL Art. 31


class Child(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=30)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"))
    school = models.CharField(_("学校"), max_length=100)
    guardian_name = models.CharField(_("监护人姓名"), max_length=30)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20)
    consent_at = models.DateTimeField(_("监护人同意时间"))
    consent_note = models.CharField(
        _("同意方式"), max_length=200, help_text=_("例如 监护人当面签署知情同意书")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("只有负责人和平台管理员能看到儿童的个人信息"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("外来务工人员子女")
        verbose_name_plural = _("外来务工人员子女")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.name[:1] + "*" * (len(self.name) - 1)


class Pairing(TimeStampedModel):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pairings")
    volunteer = models.ForeignKey(
        "people.Volunteer", verbose_name=_("结对志愿者"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "volunteer"], condition=models.Q(ended_on__isnull=True), name="pairing_once"
            ),
        ]


class PairingContact(TimeStampedModel):
    class Kind(models.TextChoices):
        VISIT = "visit", _("上门看望")
        PHONE = "phone", _("电话/视频")
        STUDY = "study", _("学习辅导")
        ACTIVITY = "activity", _("共同活动")
        OTHER = "other", _("其他")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="contacts")
    day = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=20, choices=Kind.choices)
    help_given = models.TextField(_("帮助内容"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对联系")
        verbose_name_plural = _("结对联系")
        ordering = ["-day", "-pk"]


class SchoolDonation(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    school = models.CharField(_("受赠学校"), max_length=100, db_index=True)
    items = models.CharField(_("物品"), max_length=100, help_text=_("例如 保暖衣物、学习用品"))
    quantity = models.PositiveIntegerField(_("数量"))
    unit = models.CharField(_("单位"), max_length=10, default="件")
    donor = models.CharField(_("捐赠方"), max_length=100)
    donated_on = models.DateField(_("捐赠日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学校捐赠")
        verbose_name_plural = _("学校捐赠")
        ordering = ["-donated_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="donation_quantity")]
