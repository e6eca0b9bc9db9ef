"""Shift pages: the week calendar (/app/shifts/), a shift with sign-up, waiting list and, for leaders, the
roster with assign and swap approval; my shifts (/app/me/shifts/) with the calendar-feed link. Thin:
selectors read, services write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.campaigns.calendar_feed import feed_path
from zhiyuan.campaigns.models import Shift
from zhiyuan.campaigns.selectors import shifts as selectors
from zhiyuan.campaigns.services import recurring_shifts as recurring_services
from zhiyuan.campaigns.services import shifts as services
from zhiyuan.campaigns.services.recurring_shifts import SHANGHAI
from zhiyuan.campaigns.services.shift_cancel import shift_cancel as cancel_service
from zhiyuan.campaigns.shift_forms import AssignForm, DecideForm, RecurringForm, ShiftForm, SwapForm
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.people.models import Volunteer
from zhiyuan.people.selectors.volunteers import volunteer_list

DAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _week_of(raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return redirect(target)


def _shift_url(shift_id: int) -> str:
    return reverse("campaigns:shift", args=[shift_id])


# --- the calendar -----------------------------------------------------------------------------------------


@login_required
def calendar(request: AuthedHttpRequest) -> HttpResponse:
    """One week, Monday first, a day per block (stacked on a phone); filter by station or organisation."""
    monday = _week_of(request.GET.get("week", ""))
    station = _int(request.GET.get("station"))
    organizations = list(selectors.calendar_organizations(user=request.user))
    wanted = _int(request.GET.get("organization"))
    organization = next((o for o in organizations if o.pk == wanted), None)
    start = datetime.combine(monday, time(0), tzinfo=SHANGHAI)  # the week in Beijing wall-clock
    shifts = selectors.shift_list(
        user=request.user,
        station=station,
        organization=organization,
        start=start,
        end=start + timedelta(days=7),
    )
    days: list[dict[str, Any]] = [
        {"day": monday + timedelta(days=i), "name": DAY_NAMES[i], "shifts": []} for i in range(7)
    ]
    for shift in shifts:
        index = (timezone.localtime(shift.starts_at).date() - monday).days
        days[min(max(index, 0), 6)]["shifts"].append(shift)  # one that began on Sunday night shows Monday
    params = request.GET.copy()
    params.pop("week", None)
    context = {
        "days": days,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
        "today": timezone.localdate(),
        "filters": params.urlencode(),
        "stations": selectors.station_choices(user=request.user),
        "station": station,
        "organizations": organizations,
        "organization": organization,
        "can_create": selectors.manages_any(request.user),
    }
    return render(request, "campaigns/shifts/calendar.html", context)


# --- a shift ----------------------------------------------------------------------------------------------


def _detail_context(request: AuthedHttpRequest, shift: Shift) -> dict[str, Any]:
    user = request.user
    mine = selectors.my_signup(user=user, shift=shift)
    can_roster = access.can(user, selectors.ROSTER_PERM, shift.organization)
    return {
        "shift": shift,
        "mine": mine,
        "position": selectors.waitlist_position(mine) if mine else None,
        "my_swap": selectors.pending_swap_of(signup=mine) if mine else None,
        "is_volunteer": mine is not None or Volunteer.objects.filter(user_id=user.pk).exists(),
        "closes_at": shift.starts_at - timedelta(hours=shift.cutoff_hours),
        "started": shift.starts_at <= timezone.now(),
        "can_manage": selectors.can_manage(user, shift.organization),
        "can_assign": access.can(user, selectors.ASSIGN_PERM, shift.organization),
        "roster": selectors.roster(shift=shift) if can_roster else None,
        "swaps": list(selectors.swap_list(shift=shift)) if can_roster else None,
        "assign_form": AssignForm(),
        "swap_form": SwapForm(),
    }


@login_required
def shift_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, pk=pk)
    return render(request, "campaigns/shifts/detail.html", _detail_context(request, shift))


def _form_page(request: HttpRequest, form: Any, title: str, back: str, label: str) -> HttpResponse:
    return render(request, "form.html", {"form": form, "title": title, "back_url": back, "back_label": label})


@login_required
@denied_is_403
def shift_create(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.manages_any(request.user):
        raise access.PermissionDenied(_("您无权安排班次。"))
    form = ShiftForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        shift = submit(form, services.shift_create, by=request.user, **form.cleaned_data)
        if shift is not None:
            messages.success(request, _("已创建班次“%(title)s”。") % {"title": shift.title})
            return redirect("campaigns:shift", pk=shift.pk)
    return _form_page(request, form, _("新建班次"), reverse("campaigns:shifts"), _("班次"))


@login_required
@denied_is_403
def shift_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, pk=pk)
    if not selectors.can_manage(request.user, shift.organization):
        raise access.PermissionDenied()
    form = ShiftForm(request.POST or None, user=request.user, shift=shift)
    if request.method == "POST" and form.is_valid():
        try:
            done = submit(form, services.shift_update, by=request.user, shift=shift, **form.cleaned_data)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("campaigns:shift", pk=shift.pk)
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect("campaigns:shift", pk=shift.pk)
    title = _("编辑：%(title)s") % {"title": shift.title}
    return _form_page(request, form, title, _shift_url(shift.pk), shift.title)


def _run(request: HttpRequest, action: Callable[[], Any], done: str) -> None:
    """Run a service for a POST and say how it went; a refusal is a message, not an error page."""
    try:
        action()
        messages.success(request, done)
    except Refused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))


@login_required
@require_POST
@denied_is_403
def shift_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    _run(
        request,
        lambda: cancel_service(by=request.user, shift=shift, reason=reason),
        _("班次已取消，报名的志愿者已收到通知。"),
    )
    return redirect("campaigns:shift", pk=shift.pk)


@login_required
@require_POST
def shift_signup(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, pk=pk)
    volunteer = Volunteer.objects.filter(user_id=request.user.pk).first()
    if volunteer is None:
        messages.error(request, _("请先注册成为志愿者。"))
        return redirect("campaigns:shift", pk=shift.pk)

    try:
        signup = services.signup_create(by=request.user, shift=shift, volunteer=volunteer)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        if signup.status == signup.Status.WAITLISTED:
            n = selectors.waitlist_position(signup)
            messages.success(request, _("名额已满，您已进入候补，排第%(n)d位。") % {"n": n})
        else:
            messages.success(request, _("报名成功。"))
    return redirect("campaigns:shift", pk=shift.pk)


@login_required
@require_POST
@denied_is_403
def shift_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, pk=pk)
    access.require(request.user, selectors.ASSIGN_PERM, shift.organization)
    form = AssignForm(request.POST)
    number = form.data.get("volunteer", "").strip()
    volunteer = volunteer_list(user=request.user).filter(number=number).first() if number else None
    if volunteer is None:
        messages.error(request, _("未找到该编号的志愿者。"))
    else:
        name = volunteer.user.display_name
        _run(
            request,
            lambda: services.signup_create(by=request.user, shift=shift, volunteer=volunteer),
            _("已安排%(name)s。") % {"name": name},
        )
    return redirect("campaigns:shift", pk=shift.pk)


@login_required
@require_POST
@denied_is_403
def signup_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    signup = selectors.signup_get(user=request.user, pk=pk)
    _run(request, lambda: services.signup_cancel(by=request.user, signup=signup), _("已取消报名。"))
    return _back(request, _shift_url(signup.shift_id))


@login_required
@require_POST
@denied_is_403
def signup_swap(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    signup = selectors.signup_get(user=request.user, pk=pk)
    form = SwapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写接替者的志愿者编号。"))
        return redirect("campaigns:shift", pk=signup.shift_id)
    to = Volunteer.objects.filter(number=form.cleaned_data["to_volunteer"].strip()).select_related("user")
    found = to.exclude(status=Volunteer.Status.ANONYMISED).first()
    if found is None:
        messages.error(request, _("未找到该志愿者，或其不在本班次所属队伍。"))
    else:
        _run(
            request,
            lambda: services.swap_request_create(
                by=request.user, signup=signup, to_volunteer=found, reason=form.cleaned_data["reason"]
            ),
            _("已提交换班申请，等待队长审批。"),
        )
    return redirect("campaigns:shift", pk=signup.shift_id)


@login_required
@require_POST
@denied_is_403
def swap_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    swap = selectors.swap_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid() or form.cleaned_data["approve"] is None:
        messages.error(request, _("请选择同意或不同意。"))
    else:
        approve = form.cleaned_data["approve"]
        _run(
            request,
            lambda: services.swap_decide(by=request.user, swap=swap, **form.cleaned_data),
            _("已同意换班。") if approve else _("已拒绝换班申请。"),
        )
    return redirect("campaigns:shift", pk=swap.signup.shift_id)


# --- recurring shifts and my shifts -----------------------------------------------------------------------


@login_required
@denied_is_403
def recurring_create(request: AuthedHttpRequest) -> HttpResponse:
    """A weekly pattern, generated for its period at once."""
    if not selectors.manages_any(request.user):
        raise access.PermissionDenied(_("您无权安排班次。"))
    form = RecurringForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skip = data.pop("skip_holidays")
        recurring = submit(form, recurring_services.recurring_create, by=request.user, **data)
        if recurring is not None:
            made = recurring_services.recurring_generate(
                by=request.user, recurring=recurring, skip_holidays=skip
            )
            messages.success(request, _("已生成%(n)d个班次。") % {"n": len(made)})
            week = f"?week={timezone.localtime(made[0].starts_at).date()}" if made else ""
            return redirect(reverse("campaigns:shifts") + week)
    return _form_page(request, form, _("每周班次"), reverse("campaigns:shifts"), _("班次"))


@login_required
def my_shifts(request: AuthedHttpRequest) -> HttpResponse:
    past = request.GET.get("past") == "1"
    is_volunteer = access.has_volunteer_profile(request.user)  # read with the grants the menu needs anyway
    page = None
    if is_volunteer:
        qs = selectors.my_shifts(user=request.user, past=past)
        page = Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "is_volunteer": is_volunteer,
        "page": page,
        "past": past,
        "querystring": "past=1" if past else "",
        "feed_url": request.build_absolute_uri(feed_path(request.user)),
    }
    return render(request, "campaigns/shifts/my_shifts.html", context)
