"""Venues for the public: free opening and guided tours, and the group reservation form."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhiyuan.core import phones, ratelimit
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.outreach.models import VenueReservation
from zhiyuan.outreach.selectors import public as selectors
from zhiyuan.outreach.services import venues as services
from zhiyuan.outreach.services.common import normal_code
from zhiyuan.portal.forms import ReservationForm
from zhiyuan.portal.http import personal, public_cache

RESERVE_LIMITS = {"per_ip": (10, 3600), "per_phone": (3, 24 * 3600)}  # (attempts, seconds)


@public_cache(max_age=300)
def venue_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/venues/list.html", {"venues": list(selectors.public_venues())})


@public_cache(max_age=300)
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/venues/detail.html", {"v": selectors.venue_public_get(pk=pk)})


@require_http_methods(["GET", "POST"])
@personal
def reserve(request: HttpRequest, pk: int) -> HttpResponse:
    venue = selectors.venue_public_get(pk=pk)
    form = ReservationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limited = ratelimit.form_refusal(
            request, scope="reserve", phone=request.POST.get("phone", ""), **RESERVE_LIMITS
        )
        if limited:
            form.add_error(None, limited)
            status = 429
        elif form.is_valid():
            try:
                made = submit(form, services.reservation_create, venue=venue, **form.cleaned_data)
            except Refused as exc:
                form.add_error(None, str(exc))
                made = None
            if made is not None:
                return redirect("portal:reservation_status", code=made.code)
        if form.errors and status == 200:
            status = 422
    return render(request, "portal/venues/reserve.html", {"v": venue, "form": form}, status=status)


@require_http_methods(["GET"])
@personal
def reservation_status(request: HttpRequest, code: str) -> HttpResponse:
    found = VenueReservation.objects.select_related("venue").filter(code=normal_code(code)).first()
    if found is None:
        raise Http404(_("未找到该预约。"))
    context = {"r": found, "masked_phone": phones.mask_mobile(found.phone)}
    return render(request, "portal/venues/reservation.html", context)
