"""Forms of the community pages. They shape input; the services check everything again and report every
bad field at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiyuan.community.models import (
    CommunityEvent,
    HelpKind,
    HelpRequest,
    NeedRecord,
    PairingContact,
    SiteVisit,
)
from zhiyuan.community.selectors.help import public_stations
from zhiyuan.core import access
from zhiyuan.core.forms import PhoneInput
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Perm

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})


class StationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        where = f"{obj.place} {obj.sub_location}".strip() + f" · {obj.name}"
        # cloned stations keep last year's names: the campaign and year tell them apart
        return f"{where}（{obj.campaign.year_label}）" if obj.campaign_id else where


class HelpForm(forms.Form):
    kind = forms.ChoiceField(label=_("需要什么帮助"), choices=HelpKind.choices)
    description = forms.CharField(
        label=_("请说明情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, widget=PhoneInput(), help_text=_("工作人员会打这个电话联系您")
    )
    name = forms.CharField(label=_("怎么称呼您"), max_length=30, required=False)
    station = StationChoice(
        label=_("您在哪个站点附近"), queryset=public_stations(), required=False, empty_label=_("不在站点附近")
    )
    place = forms.CharField(label=_("或者说明所在地点"), max_length=100, required=False)


class StatusForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)
    last4 = forms.CharField(
        label=_("联系电话后四位"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class SignupForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=30)
    phone = forms.CharField(label=_("手机号码"), max_length=20, widget=PhoneInput())
    party_size = forms.IntegerField(
        label=_("人数（含家属）"), min_value=1, max_value=10, initial=1, widget=NUMBER
    )


# --- officers ----------------------------------------------------------------------------------------------


def _orgs(user: Any) -> Any:
    return access.organizations(user, Perm.COMMUNITY_CHANGE).order_by("path")


class AdvanceForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=HelpRequest.Status.choices)
    note = forms.CharField(
        label=_("办理情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("走访单位"), queryset=Organization.objects.none())
    district = forms.ModelChoiceField(
        label=_("属地文明办"), queryset=Organization.objects.filter(kind=Kind.OFFICE).order_by("path")
    )
    site_name = forms.CharField(label=_("地点名称"), max_length=100)
    site_kind = forms.ChoiceField(label=_("地点类型"), choices=SiteVisit.SiteKind.choices)
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    people_met = forms.IntegerField(label=_("走访人数"), min_value=0, widget=NUMBER)
    note = forms.CharField(
        label=_("备注"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)  # type: ignore[attr-defined]


class NeedForm(forms.Form):
    name = forms.CharField(label=_("称呼（可不填）"), max_length=30, required=False)
    plan = forms.ChoiceField(label=_("春节安排"), choices=NeedRecord.Plan.choices)
    return_on = forms.DateField(label=_("计划返乡日期"), required=False, widget=DATE)
    destination = forms.CharField(label=_("返乡目的地"), max_length=50, required=False)
    wages = forms.ChoiceField(label=_("工资发放"), choices=NeedRecord.Wages.choices)
    owed_amount = forms.DecimalField(label=_("拖欠金额（元）"), required=False, min_value=0, widget=NUMBER)
    employer = forms.CharField(label=_("用工单位"), max_length=100, required=False)
    ticket = forms.ChoiceField(label=_("订票帮助"), choices=NeedRecord.Ticket.choices[:2])
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=PhoneInput(),
        help_text=_("仅需订票帮助时填写"),
    )


class TicketForm(forms.Form):
    ticket = forms.ChoiceField(label=_("订票结果"), choices=NeedRecord.Ticket.choices[1:])
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ChildForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("登记单位"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("儿童姓名"), max_length=30)
    birth_year = forms.IntegerField(label=_("出生年份"), widget=NUMBER)
    school = forms.CharField(label=_("就读学校"), max_length=100)
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=30)
    guardian_phone = forms.CharField(label=_("监护人电话"), max_length=20, widget=PhoneInput())
    guardian_consent = forms.BooleanField(
        label=_("监护人已同意登记并处理儿童信息"),
        required=False,
        help_text=_("未满14周岁儿童的个人信息属于敏感个人信息，须取得监护人同意。"),
    )
    consent_note = forms.CharField(
        label=_("同意方式"), max_length=200, help_text=_("例如 监护人当面签署知情同意书")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)  # type: ignore[attr-defined]


class PairingForm(forms.Form):
    volunteer_number = forms.CharField(
        label=_("志愿者编号"), max_length=20, help_text=_("小小志愿者或志愿者的编号")
    )
    started_on = forms.DateField(label=_("结对日期"), required=False, widget=DATE)


class ContactForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("方式"), choices=PairingContact.Kind.choices)
    help_given = forms.CharField(
        label=_("帮助内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DonationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("组织单位"), queryset=Organization.objects.none())
    school = forms.CharField(label=_("受赠学校"), max_length=100)
    items = forms.CharField(label=_("物品"), max_length=100)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, widget=NUMBER)
    unit = forms.CharField(label=_("单位"), max_length=10, initial="件")
    donor = forms.CharField(label=_("捐赠方"), max_length=100)
    donated_on = forms.DateField(label=_("捐赠日期"), widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)  # type: ignore[attr-defined]


class EventForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("主办单位"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=CommunityEvent.Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    capacity = forms.IntegerField(label=_("名额（人）"), min_value=1, widget=NUMBER)
    description = forms.CharField(
        label=_("介绍"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    published = forms.BooleanField(label=_("公开报名"), required=False, initial=True)
    volunteer_places = forms.IntegerField(
        label=_("志愿者名额"),
        min_value=0,
        initial=0,
        required=False,
        widget=NUMBER,
        help_text=_("大于0时同时建立志愿者班次，志愿者报名、签到后服务时长计入台账"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)  # type: ignore[attr-defined]


class NewsForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    source_label = forms.CharField(label=_("来源"), max_length=100, required=False)
