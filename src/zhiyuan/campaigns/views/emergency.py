"""Emergency and incident pages: pairing and 预案 (/app/stations/<pk>/emergency/), activating a plan and
following the confirmations (/app/emergency/…), reporting an incident from a phone and tracking it to
resolution (/app/incidents/…). Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.campaigns.models import Incident
from zhiyuan.campaigns.selectors import stations as selectors
from zhiyuan.campaigns.services import emergency as services
from zhiyuan.campaigns.station_forms import (
    INCIDENT_KINDS,
    ActivationForm,
    CloseForm,
    IncidentForm,
    PairingForm,
    PlanForm,
    ResolveForm,
)
from zhiyuan.campaigns.views.stations import denied_is_403, htmx, querystring
from zhiyuan.core import access, images
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest


def _form_page(request: AuthedHttpRequest, form: Any, title: str, back: str, label: str) -> HttpResponse:
    return render(request, "form.html", {"form": form, "title": title, "back_url": back, "back_label": label})


def _station_url(pk: int, anchor: str = "") -> str:
    return reverse("campaigns:station", args=[pk]) + anchor


def _require_manage(request: AuthedHttpRequest, station: Any) -> None:
    if not selectors.rights(request.user, station).manage:
        raise access.PermissionDenied(_("只有站点所属文明办可以执行此操作。"))


# --- pairing and plans -------------------------------------------------------------------------------------


@login_required
@denied_is_403
def pairing_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    _require_manage(request, station)
    pairing = selectors.pairing_for(station)
    form = PairingForm(request.POST or None, user=request.user, initial={"team": pairing and pairing.team})
    if request.method == "POST" and form.is_valid():
        try:
            done = submit(form, services.pairing_set, by=request.user, station=station, **form.cleaned_data)
        except Refused as exc:
            form.add_error("team", str(exc))
            done = None
        if done is not None:
            messages.success(request, _("已结对“%(team)s”。") % {"team": done.team.name})
            return redirect(_station_url(station.pk, "#emergency"))
    title = _("应急结对：%(name)s") % {"name": station.name}
    return _form_page(request, form, title, _station_url(station.pk), station.name)


@login_required
@denied_is_403
def plan_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    _require_manage(request, station)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = submit(form, services.plan_create, by=request.user, station=station, **form.cleaned_data)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect(_station_url(station.pk, "#emergency"))
        if plan is not None:
            messages.success(request, _("已保存应急预案。"))
            return redirect(_station_url(station.pk, "#emergency"))
    return _form_page(request, form, _("新建应急预案"), _station_url(station.pk), station.name)


@login_required
@denied_is_403
def plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    station = plan.pairing.station
    _require_manage(request, station)
    initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = submit(form, services.plan_update, by=request.user, plan=plan, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("已保存应急预案。"))
            return redirect(_station_url(station.pk, "#emergency"))
    return _form_page(request, form, _("编辑应急预案"), _station_url(station.pk), station.name)


# --- activation --------------------------------------------------------------------------------------------


@login_required
@denied_is_403
def plan_activate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    station = plan.pairing.station
    _require_manage(request, station)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activation = submit(
                form, services.activation_start, by=request.user, plan=plan, **form.cleaned_data
            )
        except Refused as exc:
            form.add_error(None, str(exc))
            activation = None
        if activation is not None:
            messages.success(request, _("预案已启动，已通知应急志愿服务队。"))
            return redirect("campaigns:activation", pk=activation.pk)
    title = _("启动预案：%(trigger)s") % {"trigger": plan.trigger}
    return _form_page(request, form, title, _station_url(station.pk, "#emergency"), station.name)


@login_required
def activation_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activation = selectors.activation_get(user=request.user, pk=pk)
    station = activation.plan.pairing.station
    responses = list(selectors.responses(activation))
    context = {
        "a": activation,
        "s": station,
        "responses": responses,
        "mine": next((r for r in responses if r.user_id == request.user.pk), None),
        "can_manage": selectors.rights(request.user, station).manage,
        "close_form": CloseForm(),
    }
    template = "_responses.html" if htmx(request) else "activation.html"
    return render(request, f"campaigns/emergency/{template}", context)


@login_required
@denied_is_403
@require_POST
def activation_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activation = selectors.activation_get(user=request.user, pk=pk)
    try:
        services.activation_confirm(by=request.user, activation=activation)
        messages.success(request, _("已确认收到，请按预案到岗。"))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("campaigns:activation", pk=activation.pk)


@login_required
@denied_is_403
@require_POST
def activation_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activation = selectors.activation_get(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    try:
        note = form.data.get("note", "")
        services.activation_close(by=request.user, activation=activation, note=note)
        messages.success(request, _("本次应急响应已结束。"))
    except (Refused, ValidationError) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return redirect("campaigns:activation", pk=activation.pk)


# --- incidents ---------------------------------------------------------------------------------------------


@login_required
@denied_is_403
def incident_report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    if not selectors.rights(request.user, station).report:
        raise access.PermissionDenied(_("只有站点所属文明办和联动团队成员可以报告突发情况。"))
    form = IncidentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "photo": form.cleaned_data["photo"] or None}
        incident = submit(form, services.incident_report, by=request.user, station=station, **data)
        if incident is not None:
            messages.success(request, _("已报告，站点负责人会尽快处理。"))
            return redirect("campaigns:incident", pk=incident.pk)
    context = {"s": station, "form": form, "kinds": [str(k) for k in INCIDENT_KINDS]}
    return render(request, "campaigns/emergency/incident_form.html", context)


@login_required
def incident_list(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in {"open", *Incident.Status.values} else ""
    qs = selectors.incident_list(user=request.user, status=status)
    context = {
        "page": Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status,
        "statuses": Incident.Status.choices,
        "querystring": querystring(request),
    }
    return render(request, "campaigns/emergency/incident_list.html", context)


@login_required
def incident_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, pk=pk)
    context = {
        "i": incident,
        "rights": selectors.rights(request.user, incident.station),
        "resolve_form": ResolveForm(),
        "history": list(incident.history.select_related("history_user").order_by("history_date")),
    }
    return render(request, "campaigns/emergency/incident_detail.html", context)


@login_required
def incident_photo(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    incident = selectors.incident_get(user=request.user, pk=pk)
    return images.serve(incident.photo, thumb=bool(request.GET.get("thumb")))


@login_required
@denied_is_403
@require_POST
def incident_escalate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, pk=pk)
    try:
        services.incident_escalate(by=request.user, incident=incident)
        messages.success(request, _("已上报所属文明办。"))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("campaigns:incident", pk=incident.pk)


@login_required
@denied_is_403
@require_POST
def incident_resolve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, pk=pk)
    try:
        resolution = request.POST.get("resolution", "")
        services.incident_resolve(by=request.user, incident=incident, resolution=resolution)
        messages.success(request, _("已标记为解决。"))
    except (Refused, ValidationError) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return redirect("campaigns:incident", pk=incident.pk)
