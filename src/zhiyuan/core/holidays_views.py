"""The holiday calendar page (/app/holidays/): a year's rest days and 调休 working days, and for city
officers a form to enter the State Council's schedule, and a button per day to change or remove it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhiyuan.core import access, holidays
from zhiyuan.core.errors import field_errors
from zhiyuan.core.holiday_calendar import holiday_delete, holiday_update, holidays_set, may_change
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.core.models import Holiday

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HolidayForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE)
    end = forms.DateField(
        label=gettext_lazy("结束日期"), widget=DATE, required=False, help_text=gettext_lazy("只有一天时不填")
    )
    name = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=50,
        help_text=gettext_lazy("春节假期请写“春节”，集中服务安排据此避开"),
    )
    is_rest_day = forms.TypedChoiceField(
        label=gettext_lazy("类型"),
        coerce=lambda v: v == "1",
        choices=[("1", gettext_lazy("放假")), ("0", gettext_lazy("调休上班"))],
        initial="1",
    )


def _year(request: AuthedHttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2099 else timezone.localdate().year


@login_required
def holiday_list(request: AuthedHttpRequest) -> HttpResponse:
    year = _year(request)
    can_change = may_change(request.user)
    form = HolidayForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if form is None:
            return render(
                request, "403.html", {"message": _("只有市文明办的工作人员可以维护节假日安排。")}, status=403
            )
        if form.is_valid():
            try:
                saved = holidays_set(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for key, texts in field_errors(exc).items():
                    for text in texts:
                        form.add_error(key if key in form.fields else None, text)
            else:
                messages.success(request, _("已保存 %(n)d 天。") % {"n": len(saved)})
                return redirect(f"{reverse('holidays')}?year={saved[0].day.year}")
    holidays.holidays_ensure(year)
    context = {
        "year": year,
        "days": list(Holiday.objects.filter(day__year=year).order_by("day")),
        "form": form,
        "can_change": can_change,
        "years": [year - 1, year + 1],
    }
    return render(request, "core/holidays.html", context)


@login_required
@require_POST
def holiday_change(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday, pk=pk)
    try:
        if request.POST.get("action") == "delete":
            holiday_delete(by=request.user, holiday=holiday)
            messages.success(request, _("已删除 %(d)s。") % {"d": holiday.day.isoformat()})
        else:
            holiday_update(by=request.user, holiday=holiday, is_rest_day=not holiday.is_rest_day)
            messages.success(request, _("已修改 %(d)s。") % {"d": holiday.day.isoformat()})
    except access.PermissionDenied as exc:
        return render(request, "403.html", {"message": str(exc)}, status=403)
    return redirect(f"{reverse('holidays')}?year={holiday.day.year}")
