"""The portal's reading pages: home with the current campaign, the station finder, channels."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhiyuan.campaigns.models import Service
from zhiyuan.outreach.models import Channel
from zhiyuan.outreach.selectors import public as selectors
from zhiyuan.portal.http import public_cache

SERVICE_LABELS = dict(Service.choices)
HOME_STATIONS = 6
HOTLINE_KINDS = (Channel.Kind.HOTLINE, Channel.Kind.SAFE_CALL)


def _labelled(stations: list) -> list:
    for s in stations:
        s.service_labels = [SERVICE_LABELS.get(code, code) for code in s.services]
        s.distance = selectors.distance_km(s)
    return stations


@public_cache()
def home(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.current_campaigns()
    campaign = campaigns[0] if campaigns else None
    phases = list(campaign.phases.all()) if campaign else []
    stations = _labelled(list(selectors.public_stations(campaigns=campaigns)[:HOME_STATIONS]))
    hotlines = list(selectors.public_channels(campaigns=campaigns).filter(kind__in=HOTLINE_KINDS)[:6])
    context = {
        "campaign": campaign,
        "phases": phases,
        "today": timezone.localdate(),
        "stations": stations,
        "hotlines": hotlines,
        "tickets_left": selectors.available_donations().exists(),
    }
    return render(request, "portal/home.html", context)


@public_cache()
def stations(request: HttpRequest) -> HttpResponse:
    near = selectors.Position.parse(request.GET.get("lat"), request.GET.get("lng"))
    campaigns = selectors.current_campaigns()
    qs = selectors.public_stations(campaigns=campaigns, near=near)
    page = Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _labelled(list(page.object_list))
    groups = (
        [(None, rows)]
        if near
        else [
            (office, list(members)) for office, members in groupby(rows, key=lambda s: s.responsible_office)
        ]
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {"page": page, "groups": groups, "near": near, "querystring": params.urlencode()}
    return render(request, "portal/stations/list.html", context)


@public_cache()
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_public_get(pk=pk, campaigns=selectors.current_campaigns())
    _labelled([station])
    return render(request, "portal/stations/detail.html", {"s": station})


@public_cache(max_age=300)
def channels(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.public_channels(campaigns=selectors.current_campaigns()))
    labels = dict(Channel.Kind.choices)
    groups = [(labels[kind], list(items)) for kind, items in groupby(rows, key=lambda c: c.kind)]
    return render(request, "portal/channels.html", {"groups": groups})
