"""The volunteer's real-name record (办法 Art. 5), their consents, phone verification and ID reveals."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core import crypto, ids
from zhiyuan.core.models import TimeStampedModel

ADULT_AGE = 18
GUARDIAN_AGE = 14  # PIPL Art. 31: a child under 14 needs a guardian's consent


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    PASSPORT = "passport", _("护照")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("中共党员")
    LEAGUE_MEMBER = "league_member", _("共青团员")
    MASSES = "masses", _("群众")


class Skill(TimeStampedModel):
    """专业技能 such as 医疗, 法律, 外语, 驾驶: a table, so officers can search volunteers by it."""

    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("专业技能")
        verbose_name_plural = _("专业技能")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(TimeStampedModel):
    """服务类别 a volunteer wants to serve in."""

    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Volunteer(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        DELETION_REQUESTED = "deletion_requested", _("已申请删除")
        ANONYMISED = "anonymised", _("已匿名化")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="volunteer"
    )
    number = models.CharField(_("志愿者编号"), max_length=20, unique=True, editable=False)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT)
    # The number itself is never stored in clear; see core.crypto.
    id_cipher = models.TextField(editable=False)
    id_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("证件号码"), max_length=40, editable=False)
    home_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属区域"),
        on_delete=models.PROTECT,
        related_name="resident_volunteers",
        help_text=_("居住区域所属的文明办，决定谁能看到这位志愿者"),
    )
    residence = models.CharField(_("居住区域"), max_length=100, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("专业技能"), blank=True, related_name="volunteers")
    service_categories = models.ManyToManyField(
        ServiceCategory, verbose_name=_("服务类别"), blank=True, related_name="volunteers"
    )
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    availability = models.JSONField(_("可服务时间"), default=list, blank=True)
    emergency_name = models.CharField(_("紧急联系人"), max_length=50, blank=True)
    emergency_phone = models.CharField(_("紧急联系人电话"), max_length=20, blank=True)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    mobile_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("代为登记单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entered_volunteers",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)

    history = HistoricalRecords(excluded_fields=["id_cipher", "id_digest"])

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        indexes = [models.Index(fields=["home_organization", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.user.display_name}"

    def age_on(self, day: date) -> int:
        return ids.age_on(self.birth_date, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def is_minor(self) -> bool:
        """条例 Art. 15: later issues keep minors out of night or hazardous shifts."""
        return self.age < ADULT_AGE

    @property
    def needs_guardian(self) -> bool:
        return self.age < GUARDIAN_AGE

    def reveal_id_number(self) -> str:
        """The clear number. Call only through `services.volunteer_reveal_id`, which checks and audits."""
        return crypto.decrypt(self.id_cipher)


class ConsentKind(models.TextChoices):
    PRIVACY = "privacy", _("隐私政策")
    LOCATION = "location", _("位置信息")
    GUARDIAN = "guardian", _("监护人同意")
    ENTRY_BY_ORGANIZATION = "entry_by_org", _("同意由单位代为登记")


class Consent(TimeStampedModel):
    """A recorded consent: what, which version of the text, when, and who gave it (PIPL Arts. 14, 31)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("类型"), max_length=20, choices=ConsentKind.choices)
    version = models.CharField(_("版本"), max_length=20)
    given_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.CharField(_("说明"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")
        indexes = [models.Index(fields=["volunteer", "kind"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.kind} {self.version}"


class PhoneVerification(TimeStampedModel):
    """A one-time code sent to a mobile. Only its hash is kept; a few wrong tries burn it."""

    mobile = models.CharField(max_length=20, db_index=True)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")


class IdReveal(TimeStampedModel):
    """Every time someone saw a full ID number: who, whose, why (PIPL accountability)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="id_reveals")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("证件号码查看记录")
        verbose_name_plural = _("证件号码查看记录")


class DeletionRequest(TimeStampedModel):
    """A volunteer asks for their personal data to be deleted (PIPL Art. 47); an officer processes it by
    anonymising the profile, so the hour ledger keeps its integrity without naming anyone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        DONE = "done", _("已匿名化")
        REFUSED = "refused", _("不予处理")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="deletion_requests")
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    processed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("删除申请")
        verbose_name_plural = _("删除申请")
