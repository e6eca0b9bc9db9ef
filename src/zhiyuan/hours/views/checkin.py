"""The scan page a volunteer's phone opens from the QR code, and the poster a leader prints."""

from __future__ import annotations

import io

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.hours.services.checkin import TOKEN_WINDOW, poster_token


@login_required
def scan(request: AuthedHttpRequest) -> HttpResponse:
    """A plain page: it queues the scan on the phone and sends it when the network allows."""
    return render(request, "hours/checkin/scan.html", {"token": request.GET.get("t", "")})


def _scan_url(request: AuthedHttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("hours:scan") + f"?t={token}")


@login_required
def poster(request: AuthedHttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    shift = shift_selectors.shift_get(user=request.user, pk=pk)
    if fmt not in ("html", "svg", "pdf"):
        raise Http404
    if not shift_selectors.can_manage(request.user, shift.organization):
        return render(request, "403.html", status=403)
    qr = segno.make(_scan_url(request, poster_token(shift=shift)), error="m")
    if fmt in ("svg", "pdf"):
        buffer = io.BytesIO()
        qr.save(buffer, kind=fmt, scale=12, border=2)
        return HttpResponse(
            buffer.getvalue(), content_type="image/svg+xml" if fmt == "svg" else "application/pdf"
        )
    context = {"shift": shift, "svg": qr.svg_inline(scale=8), "refresh": int(TOKEN_WINDOW.total_seconds())}
    return render(request, "hours/checkin/poster.html", context)
