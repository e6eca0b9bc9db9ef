"""The public forms: a ticket claim and a group reservation. The services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.forms import PhoneInput
from zhiyuan.outreach.models import TicketClaim


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("领取方式"),
        choices=TicketClaim.Kind.choices,
        initial=TicketClaim.Kind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("姓名或单位名称"), max_length=100)
    contact_name = forms.CharField(
        label=_("联系人"), max_length=50, required=False, help_text=_("单位集体领取时填写")
    )
    phone = forms.CharField(label=_("手机号码"), max_length=20, widget=PhoneInput())
    quantity = forms.IntegerField(
        label=_("领取数量"), min_value=1, initial=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("领取码"), max_length=20)


class ReservationForm(forms.Form):
    organization_name = forms.CharField(label=_("组织单位"), max_length=100)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20, widget=PhoneInput())
    size = forms.IntegerField(
        label=_("人数"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    visit_date = forms.DateField(label=_("参观日期"), widget=forms.DateInput(attrs={"type": "date"}))
    guided_tour = forms.BooleanField(label=_("需要义务讲解"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
