"""Forms for the station, 六有一落实, stock, 工作台账, incident and emergency pages. They only parse: the services
judge, and `core.forms.submit` puts their messages on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiyuan.campaigns.models import Campaign, Incident, Service, Station
from zhiyuan.campaigns.services.stations import EDITABLE_FIELDS, station_problems
from zhiyuan.core import access
from zhiyuan.core.forms import PhoneInput
from zhiyuan.core.models import User
from zhiyuan.organizations.forms import OrganizationChoice
from zhiyuan.organizations.models import LED_KINDS, Organization
from zhiyuan.organizations.roles import Perm

PHOTO_ATTRS = {"accept": "image/*"}


def _text(label: Any, rows: int = 3, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _number(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **kwargs)


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(label=label, widget=widget, **kwargs)


class StationForm(forms.Form):
    name = forms.CharField(
        label=_("站点名称"), max_length=100, error_messages={"required": _("请填写站点名称。")}
    )
    place = forms.CharField(
        label=_("站点设置"),
        max_length=100,
        help_text=_("例如 郑州火车站"),
        error_messages={"required": _("请填写站点设置地点，例如 郑州火车站。")},
    )
    sub_location = forms.CharField(
        label=_("位置"), max_length=100, required=False, help_text=_("例如 东广场")
    )
    points = _number(_("服务点数量"), initial=1)
    responsible_office = OrganizationChoice(label=_("所属文明办"), queryset=Organization.objects.none())
    campaign = forms.ModelChoiceField(
        label=_("活动"), queryset=Campaign.objects.all(), required=False, empty_label=_("（常设站点）")
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("联动志愿服务团队"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("按住 Ctrl（手机上直接点选）可选多个"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    opening_hours = forms.CharField(
        label=_("服务时间"), max_length=100, required=False, help_text=_("例如 每天 8:00-20:00")
    )
    hotline = forms.CharField(label=_("服务热线"), max_length=20, required=False, widget=PhoneInput())
    services = forms.MultipleChoiceField(
        label=_("服务项目"), choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    standard_due_on = _date(_("达标期限"), required=False, help_text=_("六有一落实的完成期限"))
    order = _number(_("顺序"), initial=0, required=False)

    def __init__(self, *args: Any, user: User, station: Station | None = None, **kwargs: Any) -> None:
        if station is not None:
            initial = {f: getattr(station, f) for f in self.base_fields if f != "teams"}
            initial["teams"] = [link.team for link in station.links.all()]
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.user, self.station = user, station
        keep = Organization.objects.filter(pk=station.responsible_office_id) if station else None
        offices = access.organizations(user, Perm.STATION_CHANGE)
        self.fields["responsible_office"].queryset = (  # type: ignore[attr-defined]
            (offices | keep) if keep is not None else offices
        ).order_by("path")
        teams = access.organizations(user, Perm.ORG_VIEW).filter(kind__in=LED_KINDS)
        if station is not None:
            teams = teams | Organization.objects.filter(station_links__station=station)
        self.fields["teams"].queryset = teams.distinct().order_by("path")  # type: ignore[attr-defined]

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0

    def clean(self) -> dict[str, Any]:
        """Ask the service what is wrong with what parsed, so one submit shows every problem at once."""
        data = super().clean() or {}
        values = {f: data[f] for f in EDITABLE_FIELDS if f in data and f not in self.errors}
        values.setdefault("services", [])
        s = Station.objects.get(pk=self.station.pk) if self.station else Station()
        changed = {f for f, v in values.items() if not self.station or getattr(s, f) != v}
        for field, value in values.items():
            setattr(s, field, value)
        teams = data.get("teams") if "teams" not in self.errors else None
        for field, messages in station_problems(
            by=self.user, station=s, changed=changed, teams=teams
        ).items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, ValidationError(message))
        return data


class ConsumableForm(forms.Form):
    name = forms.CharField(label=_("物品"), max_length=50, help_text=_("例如 热水杯、常用药品"))
    unit = forms.CharField(label=_("单位"), max_length=10, initial="个")
    quantity = _number(_("现有库存"), initial=0, min_value=0)
    low_threshold = _number(_("预警数量"), initial=10, min_value=0, help_text=_("库存不多于此数时提醒补充"))


class StockMoveForm(forms.Form):
    """The quick form on a stock row: how many, and whether handed out or restocked."""

    amount = _number(_("数量"), min_value=1)
    direction = forms.ChoiceField(choices=[("out", _("发放")), ("in", _("补充"))])
    reason = forms.CharField(label=_("原因"), max_length=100, required=False)

    def move(self) -> tuple[int, str]:
        data = self.cleaned_data
        out = data["direction"] == "out"
        reason = data.get("reason") or str(_("发放") if out else _("补充"))
        return (-data["amount"] if out else data["amount"]), reason


class StandardCheckForm(forms.Form):
    met = forms.BooleanField(label=_("已达标"), required=False)
    evidence = forms.FileField(
        label=_("佐证照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs=PHOTO_ATTRS),
        help_text=_("JPEG、PNG 或 WebP，不超过10 MB；上传新照片会替换原有照片"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ServiceGivenForm(forms.Form):
    day = _date(_("日期"), initial=timezone.localdate)
    service = forms.ChoiceField(label=_("服务项目"), choices=Service.choices)
    count = _number(_("次数"), min_value=1)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


INCIDENT_KINDS = [
    _("旅客受伤"),
    _("突发疾病"),
    _("人员走失"),
    _("纠纷"),
    _("设施故障"),
    _("恶劣天气"),
    _("其他"),
]


class IncidentForm(forms.Form):
    kind = forms.CharField(
        label=_("类型"), max_length=50, widget=forms.TextInput(attrs={"list": "incident-kinds"})
    )
    severity = forms.ChoiceField(
        label=_("严重程度"),
        choices=Incident.Severity.choices,
        initial=Incident.Severity.LOW,
        widget=forms.RadioSelect,
    )
    description = _text(_("情况"), rows=4, max_length=2000)
    photo = forms.FileField(
        label=_("现场照片"),
        required=False,
        # `capture` opens the camera straight away on a phone
        widget=forms.ClearableFileInput(attrs={**PHOTO_ATTRS, "capture": "environment"}),
        help_text=_("选填，不超过10 MB"),
    )


class ResolveForm(forms.Form):
    resolution = _text(_("处理结果"), rows=3, max_length=2000)


class PairingForm(forms.Form):
    team = OrganizationChoice(
        label=_("应急志愿服务队"),
        queryset=Organization.objects.none(),
        help_text=_("与本站点一对一结对，例如 党员志愿服务支队选派的应急队"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = access.organizations(user, Perm.ORG_VIEW).filter(kind__in=LED_KINDS).order_by("path")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    trigger = forms.CharField(label=_("启动条件"), max_length=200, help_text=_("例如 恶劣天气导致交通中断"))
    steps = _text(_("处置步骤"), rows=5, max_length=5000)
    contacts = _text(_("联系人"), rows=2, required=False, max_length=2000)
    supplies = _text(_("物资"), rows=2, required=False, max_length=2000)


class ActivationForm(forms.Form):
    reason = forms.CharField(
        label=_("启动原因"), max_length=200, help_text=_("例如 大雪，京广线列车大面积晚点")
    )


class CloseForm(forms.Form):
    note = _text(_("总结"), rows=3, max_length=5000, help_text=_("处置经过和结果"))
