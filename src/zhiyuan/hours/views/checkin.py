"""The scan page a volunteer's phone opens from the QR code, and the posters (a shift's, a station's) a
leader prints."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.campaigns.selectors import stations as station_selectors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.core.site import absolute_url
from zhiyuan.hours.services.checkin import TOKEN_WINDOW, poster_token
from zhiyuan.hours.services.checkin_location import location_consented
from zhiyuan.people.models import Volunteer


@login_required
def scan(request: AuthedHttpRequest) -> HttpResponse:
    """A plain page: it queues the scan on the phone and sends it when the network allows. It asks the
    browser for a position only when the volunteer gave the separate location consent."""
    volunteer = Volunteer.objects.filter(user=request.user).first()
    context = {
        "token": request.GET.get("t", ""),
        "ask_location": volunteer is not None and location_consented(volunteer),
    }
    return render(request, "hours/checkin/scan.html", context)


def _scan_url(request: AuthedHttpRequest, token: str) -> str:
    # the public address, not the request's host: a poster printed on the intranet is scanned outside
    return absolute_url(reverse("hours:scan") + f"?t={token}")


def _poster(request: AuthedHttpRequest, token: str, fmt: str, context: dict[str, Any]) -> HttpResponse:
    qr = segno.make(_scan_url(request, token), error="m")
    if fmt in ("svg", "pdf"):
        buffer = io.BytesIO()
        qr.save(buffer, kind=fmt, scale=12, border=2)
        return HttpResponse(
            buffer.getvalue(), content_type="image/svg+xml" if fmt == "svg" else "application/pdf"
        )
    context |= {"svg": qr.svg_inline(scale=8), "refresh": int(TOKEN_WINDOW.total_seconds())}
    return render(request, "hours/checkin/poster.html", context)


@login_required
def poster(request: AuthedHttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    shift = shift_selectors.shift_get(user=request.user, pk=pk)
    if fmt not in ("html", "svg", "pdf"):
        raise Http404
    if not shift_selectors.can_manage(request.user, shift.organization):
        return render(request, "403.html", status=403)
    start = timezone.localtime(shift.starts_at)
    subtitle = f"{start:%Y-%m-%d %H:%M} — {timezone.localtime(shift.ends_at):%H:%M}"
    context = {
        "title": shift.title,
        "subtitle": subtitle + (f" · {shift.station.name}" if shift.station else ""),
        "files": {f: reverse("hours:poster_file", args=[shift.pk, f]) for f in ("svg", "pdf")},
    }
    return _poster(request, poster_token(shift=shift), fmt, context)


@login_required
def station_poster(request: AuthedHttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """One code for the whole station: it signs a volunteer into the shift they are booked on there now,
    or ad hoc when the station allows it."""
    station = station_selectors.station_get(user=request.user, pk=pk)
    if fmt not in ("html", "svg", "pdf"):
        raise Http404
    if not station_selectors.rights(request.user, station).operate:
        return render(request, "403.html", status=403)
    context = {
        "title": station.name,
        "subtitle": f"{station.place} {station.sub_location}".strip(),
        "files": {f: reverse("hours:station_poster_file", args=[station.pk, f]) for f in ("svg", "pdf")},
    }
    return _poster(request, poster_token(station=station), fmt, context)
