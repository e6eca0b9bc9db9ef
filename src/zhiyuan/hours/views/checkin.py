"""The scan page a volunteer's phone opens from the QR code, the posters (a shift's, a station's) a leader
prints — a long-lived code for paper — and the kiosk page, a live code rotating every five minutes for a
screen at a high-assurance shift, where a photo of the code is useless a quarter of an hour later."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.campaigns.selectors import stations as station_selectors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.core.site import absolute_url
from zhiyuan.hours.services.checkin import TOKEN_WINDOW, poster_token
from zhiyuan.hours.services.checkin_location import location_consented
from zhiyuan.hours.services.posters import poster_code, poster_current, poster_reprint
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


def scan_url(token: str) -> str:
    # the public address, not the request's host: a poster printed on the intranet is scanned outside
    return absolute_url(reverse("hours:scan") + f"?t={token}")


def _render(request: AuthedHttpRequest, token: str, fmt: str, context: dict[str, Any]) -> HttpResponse:
    qr = segno.make(scan_url(token), error="m")
    if fmt in ("svg", "pdf"):
        buffer = io.BytesIO()
        qr.save(buffer, kind=fmt, scale=12, border=2)
        return HttpResponse(
            buffer.getvalue(), content_type="image/svg+xml" if fmt == "svg" else "application/pdf"
        )
    context |= {"svg": qr.svg_inline(scale=8)}
    return render(request, "hours/checkin/poster.html", context)


def _shift_for_leader(request: AuthedHttpRequest, pk: int) -> Any:
    shift = shift_selectors.shift_get(user=request.user, pk=pk)
    if not shift_selectors.can_manage(request.user, shift.organization):
        return None, shift
    start = timezone.localtime(shift.starts_at)
    subtitle = f"{start:%Y-%m-%d %H:%M} — {timezone.localtime(shift.ends_at):%H:%M}"
    return subtitle + (f" · {shift.station.name}" if shift.station else ""), shift


@login_required
def poster(request: AuthedHttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """The shift's printed poster: its code stays good for the campaign, until reprinted."""
    if fmt not in ("html", "svg", "pdf"):
        raise Http404
    subtitle, shift = _shift_for_leader(request, pk)
    if subtitle is None:
        return render(request, "403.html", status=403)
    printed = poster_current(by=request.user, shift=shift)
    context = {
        "title": shift.title,
        "subtitle": subtitle,
        "printed": printed,
        "files": {f: reverse("hours:poster_file", args=[shift.pk, f]) for f in ("svg", "pdf")},
        "reprint": reverse("hours:poster_reprint", args=[shift.pk]),
        "kiosk": reverse("hours:kiosk", args=[shift.pk]),
    }
    return _render(request, poster_code(printed), fmt, context)


@login_required
def kiosk(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A live code for a screen: rotates every five minutes and refreshes itself."""
    subtitle, shift = _shift_for_leader(request, pk)
    if subtitle is None:
        return render(request, "403.html", status=403)
    context = {"title": shift.title, "subtitle": subtitle, "refresh": int(TOKEN_WINDOW.total_seconds())}
    return _render(request, poster_token(shift=shift), "html", context)


@login_required
@require_POST
def poster_reprint_view(request: AuthedHttpRequest, pk: int, target: str = "shift") -> HttpResponse:
    """重新打印: the poster in force stops working now, and a new one is issued."""
    if target == "station":
        station = station_selectors.station_get(user=request.user, pk=pk)
        if not station_selectors.rights(request.user, station).operate:
            return render(request, "403.html", status=403)
        poster_reprint(by=request.user, station=station)
        return redirect("hours:station_poster", pk)
    subtitle, shift = _shift_for_leader(request, pk)
    if subtitle is None:
        return render(request, "403.html", status=403)
    poster_reprint(by=request.user, shift=shift)
    return redirect("hours:poster", pk)


@login_required
def station_poster(request: AuthedHttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """One code for the whole station: it signs a volunteer into the shift they are booked on there at the
    time of the scan, or ad hoc when the station allows it."""
    station = station_selectors.station_get(user=request.user, pk=pk)
    if fmt not in ("html", "svg", "pdf"):
        raise Http404
    if not station_selectors.rights(request.user, station).operate:
        return render(request, "403.html", status=403)
    printed = poster_current(by=request.user, station=station)
    context = {
        "title": station.name,
        "subtitle": f"{station.place} {station.sub_location}".strip(),
        "printed": printed,
        "files": {f: reverse("hours:station_poster_file", args=[station.pk, f]) for f in ("svg", "pdf")},
        "reprint": reverse("hours:station_poster_reprint", args=[station.pk]),
    }
    return _render(request, poster_code(printed), fmt, context)
