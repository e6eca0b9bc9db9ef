"""Forms for the shift pages. The shift form asks the service what is wrong while cleaning, so one submit
shows every problem at once: the fields' own and the rules' (ends before it starts, fewer places than
people already signed up)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiyuan.campaigns.models import RecurringShift, Shift, Station
from zhiyuan.campaigns.selectors import shifts as selectors
from zhiyuan.campaigns.services.recurring_shifts import recurring_problems
from zhiyuan.campaigns.services.shifts import EDITABLE_FIELDS, shift_problems
from zhiyuan.core.models import User
from zhiyuan.organizations.forms import OrganizationChoice
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import Skill, TrainingCourse
from zhiyuan.people.selectors.training import course_list

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
RECURRING_FIELDS = (
    "organization",
    "station",
    "title",
    "weekdays",
    "start_time",
    "end_time",
    "valid_from",
    "valid_until",
    "capacity",
)
WEEKDAY_CHOICES = [(1, "周一"), (2, "周二"), (3, "周三"), (4, "周四"), (5, "周五"), (6, "周六"), (7, "周日")]


def _when(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("北京时间"),
    )


def _number(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **kwargs
    )


class StationChoice(forms.ModelChoiceField):
    """A station with its campaign and year: a cloned station has last year's name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class _Placed(forms.Form):
    """Organisation and station, limited to what the user may name."""

    organization = OrganizationChoice(label=_("组织单位"), queryset=Organization.objects.none())
    station = StationChoice(
        label=_("站点"), queryset=Station.objects.none(), required=False, empty_label=_("（不在站点）")
    )

    def _limit(self, user: User, shift: Shift | None = None) -> None:
        # a shift keeps its references even where the editor's scope ends (the service checks only changes)
        orgs = selectors.manageable_organizations(user)
        stations = selectors.station_choices(user=user)
        if shift is not None:
            orgs |= Organization.objects.filter(pk=shift.organization_id)
            stations |= Station.objects.filter(pk=shift.station_id or 0)
        self.fields["organization"].queryset = orgs.order_by("path")  # type: ignore[attr-defined]
        self.fields["station"].queryset = stations.select_related("campaign").order_by("name", "pk")  # type: ignore[attr-defined]


class ShiftForm(_Placed):
    title = forms.CharField(label=_("班次名称"), max_length=100)
    starts_at = _when(_("开始时间"))
    ends_at = _when(_("结束时间"))
    capacity = _number(_("名额"))
    minimum = _number(_("最少人数"), initial=0, help_text=_("少于此人数时提醒队长补充"))
    cutoff_hours = _number(_("报名/取消截止（开始前小时数）"), initial=12)
    minors_allowed = forms.BooleanField(label=_("允许未成年人报名"), required=False)
    required_skills = forms.ModelMultipleChoiceField(
        label=_("所需技能"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    required_courses = forms.ModelMultipleChoiceField(
        label=_("须完成培训"),
        queryset=TrainingCourse.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, shift: Shift | None = None, **kwargs: Any) -> None:
        if shift is not None:
            initial: dict[str, Any] = {f: getattr(shift, f) for f in EDITABLE_FIELDS}
            initial["required_skills"] = list(shift.required_skills.all())
            initial["required_courses"] = list(shift.required_courses.all())
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.user, self.shift = user, shift
        self._limit(user, shift)
        courses = course_list(user=user)
        if shift is not None:
            courses = courses | TrainingCourse.objects.filter(pk__in=shift.required_courses.values("pk"))
        self.fields["required_courses"].queryset = courses.order_by("-date", "name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {f: data.get(f) for f in EDITABLE_FIELDS if f not in self.errors}
        s = Shift(accepted_count=0)
        changed = set(EDITABLE_FIELDS)
        if self.shift is not None:
            s = Shift.objects.get(pk=self.shift.pk)
            changed = {f for f, v in values.items() if getattr(s, f) != v}
        for field, value in values.items():
            setattr(s, field, value)
        for field, messages in shift_problems(by=self.user, shift=s, changed=changed).items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, ValidationError(message))
        return data


class RecurringForm(_Placed):
    title = forms.CharField(label=_("班次名称"), max_length=100)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("每周"), choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    valid_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    capacity = _number(_("名额"))
    skip_holidays = forms.BooleanField(label=_("跳过法定节假日"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._limit(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = [f for f in RECURRING_FIELDS if f not in self.errors]
        r = RecurringShift(**{f: data.get(f) for f in fields})
        for field, messages in recurring_problems(by=self.user, recurring=r).items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, ValidationError(message))
        return data


class AssignForm(forms.Form):
    volunteer = forms.CharField(label=_("志愿者编号"), max_length=20)


class SwapForm(forms.Form):
    to_volunteer = forms.CharField(label=_("接替者的志愿者编号"), max_length=20)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)


class DecideForm(forms.Form):
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)
    approve = forms.TypedChoiceField(
        choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1", empty_value=None
    )
