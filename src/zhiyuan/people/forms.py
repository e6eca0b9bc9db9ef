from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.forms import PhoneInput
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.people.models import Gender, IdType, PoliticalStatus, ServiceCategory, Skill
from zhiyuan.people.services.volunteers import AVAILABILITY_SLOTS

DAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
PARTS = {"am": "上午", "pm": "下午", "eve": "晚上"}


def availability_choices() -> list[tuple[str, str]]:
    return [(slot, f"{DAYS[int(slot[0]) - 1]}{PARTS[slot[2:]]}") for slot in AVAILABILITY_SLOTS]


class ProfileFields(forms.Form):
    """The optional part of the record, shared by registration, entry by an organisation and editing."""

    residence = forms.CharField(label=_("居住区域（街道/社区）"), max_length=100, required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("专业技能"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    service_categories = forms.ModelMultipleChoiceField(
        label=_("服务类别"),
        queryset=ServiceCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # no preselected answer: a newcomer scrolling past must not be recorded as a Party member
    political_status = forms.ChoiceField(
        label=_("政治面貌"), choices=[("", _("请选择")), *PoliticalStatus.choices]
    )
    availability = forms.MultipleChoiceField(
        label=_("可服务时间"),
        choices=availability_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emergency_name = forms.CharField(label=_("紧急联系人"), max_length=50, required=False)
    emergency_phone = forms.CharField(
        label=_("紧急联系人电话"), max_length=30, required=False, widget=PhoneInput()
    )
    guardian_name = forms.CharField(
        label=_("监护人姓名"), max_length=50, required=False, help_text=_("未满14周岁须填写")
    )
    guardian_phone = forms.CharField(
        label=_("监护人电话"), max_length=30, required=False, widget=PhoneInput()
    )


class IdentityFields(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices, initial=IdType.RESIDENT)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=[("", "—"), *Gender.choices],
        required=False,
        help_text=_("居民身份证自动识别，其他证件请选择"),
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("居民身份证自动识别，其他证件请填写"),
    )
    home_organization = forms.ModelChoiceField(
        label=_("所属区域"),
        queryset=Organization.objects.filter(kind=Kind.OFFICE).order_by("path"),
        empty_label=_("请选择居住地所属的文明办"),
    )


# Checked by the services with their own Chinese messages, so that every problem shows at once; the form
# still marks them as required for the person filling it in.
SERVICE_CHECKED = (
    "full_name",
    "mobile",
    "id_number",
    "home_organization",
    "code",
    "password",
    "consent_evidence",
)


def _let_service_check(form: forms.Form) -> None:
    for name in SERVICE_CHECKED:
        if name in form.fields:
            form.fields[name].required = False
            form.fields[name].shown_required = True  # type: ignore[attr-defined]


class RegisterForm(IdentityFields, ProfileFields):
    mobile = forms.CharField(label=_("手机号码"), max_length=30, widget=PhoneInput())
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password = forms.CharField(
        label=_("设置密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，不能全是数字"),
    )
    guardian_consent = forms.BooleanField(label=_("监护人已同意其参加志愿服务并提供个人信息"), required=False)
    privacy_consent = forms.BooleanField(label=_("我已阅读并同意《志愿者个人信息保护说明》"), required=False)
    location_consent = forms.BooleanField(label=_("同意签到时使用我的位置信息（可不选）"), required=False)

    field_order = [
        "mobile",
        "code",
        "full_name",
        "id_type",
        "id_number",
        "gender",
        "birth_date",
        "home_organization",
        "residence",
        "password",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _let_service_check(self)


class EnterForm(IdentityFields, ProfileFields):
    """An organisation enters a volunteer for them, with their recorded consent."""

    organization = forms.ModelChoiceField(label=_("登记单位"), queryset=Organization.objects.none())
    mobile = forms.CharField(label=_("手机号码"), max_length=30, widget=PhoneInput())
    consent_evidence = forms.CharField(
        label=_("本人同意方式"),
        max_length=200,
        help_text=_("例如：本人在纸质登记表上签字同意，2026-11-20"),
    )
    guardian_consent = forms.BooleanField(label=_("监护人已同意"), required=False)

    field_order = [
        "organization",
        "full_name",
        "mobile",
        "id_type",
        "id_number",
        "gender",
        "birth_date",
        "home_organization",
    ]

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        _let_service_check(self)


class ProfileForm(ProfileFields):
    pass


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看原因"), max_length=200, help_text=_("例如：为购买意外保险核对身份"))


class VolunteerSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、拼音、手机号或编号"), required=False)
    skill = forms.ChoiceField(label=_("专业技能"), required=False)
    district = forms.ModelChoiceField(
        label=_("所属区域"),
        queryset=Organization.objects.filter(kind=Kind.OFFICE).order_by("path"),
        required=False,
        empty_label=_("全部区域"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", _("全部技能")), *Skill.objects.values_list("code", "name")]  # type: ignore[attr-defined]
