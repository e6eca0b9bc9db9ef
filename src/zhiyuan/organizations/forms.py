from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiyuan.core import access
from zhiyuan.core.forms import PhoneInput
from zhiyuan.organizations.models import AGENCY_KINDS, ContactCategory, Kind, Organization
from zhiyuan.organizations.roles import Perm, Role


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return "　" * max(obj.depth, 0) + obj.name


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    parent = OrganizationChoice(label=_("上级组织"), queryset=Organization.objects.none(), required=False)
    parent_agency = OrganizationChoice(
        label=_("主管单位"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("仅志愿服务支队、中队、服务队填写"),
    )
    aliases = forms.CharField(
        label=_("别名"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("文件中出现的其他写法，每行一个"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False, widget=PhoneInput())
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, user: Any, current_parent: Organization | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        scope = access.organizations(user, Perm.ORG_CHANGE)
        if current_parent is not None:
            # an officer edits the office their role sits at without being able to manage its parent;
            # keeping the parent as it is must stay possible (the service checks only a change of parent)
            scope = scope | Organization.objects.filter(pk=current_parent.pk)
        self.fields["parent"].queryset = scope.order_by("path")  # type: ignore[attr-defined]
        self.fields["parent"].empty_label = _("（无，顶级组织）")  # type: ignore[attr-defined]
        self.fields["parent_agency"].queryset = (  # type: ignore[attr-defined]
            access.organizations(user, Perm.ORG_VIEW).filter(kind__in=AGENCY_KINDS).order_by("path")
        )


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(
        label=_("手机"),
        max_length=30,
        required=False,
        widget=PhoneInput(),
        help_text=_("填写手机号可关联已登记的人员"),
    )
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)

    def __init__(self, *args: Any, grantable: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in grantable]  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=ContactCategory.choices)
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    office_phone = forms.CharField(
        label=_("办公电话"),
        max_length=30,
        required=False,
        widget=PhoneInput({"placeholder": "0371-67186891"}),
    )
    mobile = forms.CharField(
        label=_("手机"), max_length=30, required=False, widget=PhoneInput({"placeholder": "13812345678"})
    )
