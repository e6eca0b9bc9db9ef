"""Free tickets for the public: what is left, a claim (person or group) with a code and a QR, and the
look-up by code. Claims are rate-limited per IP and per phone; stock is kept by the outreach services."""

from __future__ import annotations

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhiyuan.core import phones, ratelimit
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.outreach.models import TicketClaim
from zhiyuan.outreach.selectors import public as selectors
from zhiyuan.outreach.services import tickets as services
from zhiyuan.outreach.services.common import normal_code
from zhiyuan.portal.forms import ClaimForm, CodeForm
from zhiyuan.portal.http import personal, public_cache

# (attempts, seconds): a site office claiming for several crews stays well under the per-IP limit. The
# phone is not verified, so a client inventing numbers is bounded by the IP's daily cap (issue 14 item 6).
CLAIM_LIMITS = {"per_ip": (20, 3600), "per_phone": (5, 24 * 3600), "per_ip_day": (40, 24 * 3600)}


@public_cache()
def ticket_list(request: HttpRequest) -> HttpResponse:
    services.claims_expire()  # lazily: tickets held past their time are back before we count
    donations = list(selectors.available_donations())
    return render(request, "portal/tickets/list.html", {"donations": donations, "code_form": CodeForm()})


@require_http_methods(["GET", "POST"])
@personal
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    services.claims_expire()
    donation = selectors.donation_public_get(pk=pk)
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limited = ratelimit.form_refusal(
            request, scope="claim", phone=request.POST.get("phone", ""), **CLAIM_LIMITS
        )
        if limited:
            form.add_error(None, limited)
            status = 429
        elif form.is_valid():
            try:
                made = submit(form, services.claim_create, donation=donation, **form.cleaned_data)
            except Refused as exc:
                form.add_error(None, str(exc))
                made = None
            if made is not None:
                return redirect("portal:claim_status", code=made.code)
            donation.refresh_from_db()
        if form.errors and status == 200:
            status = 422
    return render(request, "portal/tickets/claim.html", {"d": donation, "form": form}, status=status)


def _qr_svg(request: HttpRequest, claim: TicketClaim) -> str:
    # the QR opens the donor's collect page: the counter scans it with a phone camera
    url = request.build_absolute_uri(reverse("outreach:claim_collect", args=[claim.code]))
    return segno.make(url, error="m").svg_inline(scale=5, border=2)


@require_http_methods(["GET"])
@personal
def claim_status(request: HttpRequest, code: str) -> HttpResponse:
    services.claims_expire()
    found = selectors.claim_by_code(code)
    context = {
        "c": found,
        "d": found.donation,
        "masked_phone": phones.mask_mobile(found.phone),
        "qr": _qr_svg(request, found) if found.status == TicketClaim.Status.RESERVED else "",
    }
    return render(request, "portal/tickets/status.html", context)


@require_http_methods(["GET"])
@personal
def claim_lookup(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.GET or None)
    if form.is_valid():
        code = normal_code(form.cleaned_data["code"])
        if code:
            return redirect("portal:claim_status", code=code)
        form.add_error("code", _("请输入领取码。"))
    return render(request, "portal/tickets/lookup.html", {"form": form})


@require_POST
@personal
def claim_cancel(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.claim_by_code(code)
    context = {"c": found, "d": found.donation, "masked_phone": phones.mask_mobile(found.phone)}
    limit, window = CLAIM_LIMITS["per_ip"]
    if not ratelimit.hit("claim-ip", ratelimit.client_ip(request), limit=limit, window=window):
        context["error"] = ratelimit.limited_message(window)
        return render(request, "portal/tickets/status.html", context, status=429)
    try:
        services.claim_cancel(by=None, claim=found)
    except Refused as exc:
        context["error"] = str(exc)
        return render(request, "portal/tickets/status.html", context, status=409)
    return redirect("portal:claim_status", code=found.code)
