"""/app/outreach/venues/: venues of the officer's units and their group reservations to accept or decline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access, phones
from zhiyuan.core.errors import Refused
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.forms import DecideForm, VenueForm
from zhiyuan.outreach.selectors import officer as selectors
from zhiyuan.outreach.services import venues as services
from zhiyuan.outreach.views.common import form_page, page_of, run


@login_required
def venue_list(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.venues(user=request.user)),
        "can_add": access.holds_any(request.user, [Perm.OUTREACH_CHANGE]),
    }
    return render(request, "outreach/venues.html", context)


@login_required
@denied_is_403
def venue_create(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [Perm.OUTREACH_CHANGE]):
        raise access.PermissionDenied()
    form = VenueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = run(
            form,
            services.venue_create,
            by=request.user,
            organization=form.cleaned_data["organization"],
            **form.service_fields(),
        )
        if made is not None:
            messages.success(request, _("已添加。"))
            return redirect("outreach:venue", pk=made.pk)
    return form_page(request, form, _("添加场馆"), reverse("outreach:venues"))


@login_required
def venue_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    venue = access.get_or_404(selectors.venues(user=request.user), pk=pk)
    page = page_of(request, selectors.reservations(user=request.user, venue=venue))
    for r in page.object_list:
        r.masked_phone = phones.mask_mobile(r.phone)
    context = {
        "v": venue,
        "page": page,
        "can_change": access.can(request.user, Perm.OUTREACH_CHANGE, venue.organization),
    }
    return render(request, "outreach/venue_detail.html", context)


@login_required
@denied_is_403
def venue_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    venue = access.get_or_404(selectors.venues(user=request.user), pk=pk)
    access.require(request.user, Perm.OUTREACH_CHANGE, venue.organization)
    form = VenueForm(request.POST or None, instance=venue, user=request.user)
    del form.fields["organization"]
    saved = request.method == "POST" and form.is_valid()
    if saved and run(form, services.venue_update, by=request.user, venue=venue, **form.service_fields()):
        messages.success(request, _("已保存。"))
        return redirect("outreach:venue", pk=venue.pk)
    return form_page(request, form, _("修改场馆"), reverse("outreach:venue", args=[venue.pk]))


@login_required
@require_POST
@denied_is_403
def reservation_decide(request: AuthedHttpRequest, pk: int, decision: str) -> HttpResponse:
    reservation = access.get_or_404(selectors.reservations(user=request.user), pk=pk)
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        services.reservation_decide(
            by=request.user,
            reservation=reservation,
            accept=decision == "accept",
            reason=form.cleaned_data.get("reason", ""),
        )
    except Refused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已接受。") if decision == "accept" else _("已婉拒。"))
    return redirect("outreach:venue", pk=reservation.venue_id)
