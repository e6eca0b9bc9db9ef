"""Station pages (/app/stations/…): the list with its warnings, a station's page with stock and the 六有一落实
checklist, the 未达标 overview and the 工作台账. Thin: selectors read, services write."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.campaigns.models import Consumable, Service, StandardItem, Station
from zhiyuan.campaigns.selectors import stations as selectors
from zhiyuan.campaigns.services import stations as services
from zhiyuan.campaigns.station_forms import (
    ConsumableForm,
    ServiceGivenForm,
    StandardCheckForm,
    StationForm,
    StockMoveForm,
)
from zhiyuan.core import access, images
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm


def htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _managed(request: AuthedHttpRequest, pk: int) -> Station:
    station = selectors.station_get(user=request.user, pk=pk)
    if not selectors.rights(request.user, station).manage:
        raise access.PermissionDenied(_("只有站点所属文明办可以管理站点。"))
    return station


def _form_page(request: HttpRequest, form: Any, title: str, station: Station | None) -> HttpResponse:
    back = (
        {"back_url": reverse("campaigns:station", args=[station.pk]), "back_label": station.name}
        if station
        else {"back_url": reverse("campaigns:stations"), "back_label": _("站点")}
    )
    return render(request, "form.html", {"form": form, "title": title, **back})


@login_required
def station_list(request: AuthedHttpRequest) -> HttpResponse:
    filters: dict[str, Any] = {
        "campaign": int_param(request, "campaign"),
        "office": int_param(request, "office"),
        "not_up_to_standard": request.GET.get("status") == "unmet",
        "search": request.GET.get("q", "").strip(),
    }
    qs = selectors.station_list(user=request.user, **filters)
    context = {
        "page": Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "querystring": querystring(request),
        **selectors.filter_choices(user=request.user),
        "can_create": access.is_global(request.user) or bool(access.roots(request.user, Perm.STATION_CHANGE)),
    }
    template = "_rows.html" if htmx(request) else "list.html"
    return render(request, f"campaigns/stations/{template}", context)


@login_required
def standards_overview(request: AuthedHttpRequest) -> HttpResponse:
    qs = selectors.standards_overview(
        user=request.user, campaign=int_param(request, "campaign"), office=int_param(request, "office")
    )
    page = Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    stations = list(page)
    missing = selectors.missing_items(stations)
    context = {
        "page": page,
        "rows": [(s, missing[s.pk]) for s in stations],
        "querystring": querystring(request),
    }
    return render(request, "campaigns/stations/standards.html", context)


@login_required
@denied_is_403
def station_create(request: AuthedHttpRequest) -> HttpResponse:
    if not (access.is_global(request.user) or access.roots(request.user, Perm.STATION_CHANGE)):
        raise access.PermissionDenied(_("您无权新建站点。"))
    form = StationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        station = submit(form, services.station_create, by=request.user, **form.cleaned_data)
        if station is not None:
            messages.success(request, _("已新建站点“%(name)s”。") % {"name": station.name})
            return redirect("campaigns:station", pk=station.pk)
    return _form_page(request, form, _("新建站点"), None)


@login_required
@denied_is_403
def station_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = _managed(request, pk)
    form = StationForm(request.POST or None, user=request.user, station=station)
    if request.method == "POST" and form.is_valid():
        done = submit(form, services.station_update, by=request.user, station=station, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect("campaigns:station", pk=station.pk)
    return _form_page(request, form, _("编辑：%(name)s") % {"name": station.name}, station)


@login_required
def station_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    pairing = selectors.pairing_for(station)
    context = {
        "s": station,
        "rights": selectors.rights(request.user, station),
        "services": [label for code, label in Service.choices if code in station.services],
        "consumables": list(Consumable.objects.filter(station=station).order_by("name")),
        "standards": selectors.standards(station),
        "pairing": pairing,
        "plans": list(pairing.plans.all()) if pairing else [],
        "activations": list(selectors.activation_list(user=request.user, station=station)[:5]),
        "incidents": list(selectors.incident_list(user=request.user, station=station, status="open")[:20]),
        "move_form": StockMoveForm(),
    }
    return render(request, "campaigns/stations/detail.html", context)


@login_required
@denied_is_403
def consumable_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = _managed(request, pk)
    form = ConsumableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = submit(form, services.consumable_create, by=request.user, station=station, **form.cleaned_data)
        if item is not None:
            messages.success(request, _("已添加物资“%(name)s”。") % {"name": item.name})
            return redirect(reverse("campaigns:station", args=[station.pk]) + "#stock")
    return _form_page(request, form, _("添加物资"), station)


@login_required
@denied_is_403
@require_POST
def stock_move(request: AuthedHttpRequest, pk: int, consumable_pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    item = access.get_or_404(Consumable.objects.filter(station=station), pk=consumable_pk)
    item.station = station
    form = StockMoveForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("请填写正整数数量。")
    else:
        delta, reason = form.move()
        try:
            item = services.stock_move(by=request.user, consumable=item, delta=delta, reason=reason)
        except Refused as exc:
            error = str(exc)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    if not htmx(request):
        if error:
            messages.error(request, error)
        return redirect(reverse("campaigns:station", args=[station.pk]) + "#stock")
    context = {"c": item, "s": station, "move_form": StockMoveForm(), "error": error, "can_move": True}
    return render(request, "campaigns/stations/_stock_row.html", context)


@login_required
@denied_is_403
def standard_edit(request: AuthedHttpRequest, pk: int, item: str) -> HttpResponse:
    station = _managed(request, pk)
    if item not in StandardItem.values:
        raise Http404(_("未找到。"))
    row = next(r for r in selectors.standards(station) if r.item == item)
    initial = {"met": row.met, "note": row.check.note if row.check else ""}
    form = StandardCheckForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            services.standard_check_set,
            by=request.user,
            station=station,
            item=item,
            met=data["met"],
            evidence=data["evidence"] or None,
            note=data["note"],
        )
        if done is not None:
            messages.success(request, _("已更新“%(item)s”。") % {"item": row.label})
            return redirect(reverse("campaigns:station", args=[station.pk]) + "#standards")
    context = {"s": station, "row": row, "form": form}
    return render(request, "campaigns/stations/standard_form.html", context)


@login_required
def standard_photo(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    check = selectors.standard_check_get(user=request.user, pk=pk)
    return images.serve(check.evidence, thumb=bool(request.GET.get("thumb")))


@login_required
@denied_is_403
def service_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    if not selectors.rights(request.user, station).operate:
        raise access.PermissionDenied(_("只有站点所属文明办和联动团队负责人可以登记。"))
    form = ServiceGivenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # `service` is also submit()'s own parameter: bind it to the service function first
        record = partial(services.service_record, service=data.pop("service"))
        done = submit(form, record, by=request.user, station=station, **data)
        if done is not None:
            messages.success(request, _("已登记服务记录。"))
            return redirect("campaigns:station_ledger", pk=station.pk)
    return _form_page(request, form, _("登记服务记录"), station)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def station_ledger(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    since, until = _day(request.GET.get("since", "")), _day(request.GET.get("until", ""))
    rows = selectors.ledger(station=station, since=since, until=until)
    context = {
        "s": station,
        "page": Paginator(rows, 100).get_page(request.GET.get("page")),
        "since": since,
        "until": until,
        "querystring": querystring(request),
        "rights": selectors.rights(request.user, station),
    }
    return render(request, "campaigns/stations/ledger.html", context)


@login_required
@require_POST
@denied_is_403
def station_adhoc(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Turn ad-hoc sign-in at the station's QR poster on or off."""
    station = selectors.station_get(user=request.user, pk=pk)
    allow = request.POST.get("allow") == "1"
    services.station_set_adhoc(by=request.user, station=station, allow=allow)
    messages.success(request, _("已开放临时签到。") if allow else _("已关闭临时签到。"))
    return redirect("campaigns:station", pk=station.pk)
