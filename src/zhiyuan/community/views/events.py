"""Organisers' event pages (/app/community/events/…): lay out an event, see who signed up, mark who came."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.community.forms import EventForm
from zhiyuan.community.models.help import mask_phone
from zhiyuan.community.selectors import events as selectors
from zhiyuan.community.services import events as services
from zhiyuan.community.views.common import form_page, page_of, querystring
from zhiyuan.core import access
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm


@login_required
def event_list(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.event_list(user=request.user)),
        "querystring": querystring(request),
        "can_create": access.holds_any(request.user, [Perm.COMMUNITY_CHANGE]),
    }
    return render(request, "community/app/events.html", context)


@login_required
@denied_is_403
def event_create(request: AuthedHttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "volunteer_places": form.cleaned_data["volunteer_places"] or 0}
        event = submit(form, services.event_create, by=request.user, **data)
        if event is not None:
            messages.success(request, _("已发布活动。"))
            return redirect("community:event", pk=event.pk)
    return form_page(request, form, _("新建社区活动"), reverse("community:events"), _("社区活动"))


@login_required
def event_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, pk=pk)
    can_change = access.can(request.user, Perm.COMMUNITY_CHANGE, event.organization)
    signups = [(s, s.phone if can_change else mask_phone(s.phone)) for s in selectors.signups_of(event)]
    context = {
        "e": event,
        "signups": signups,
        "can_change": can_change,
        "came": selectors.attendance_of(event),
    }
    return render(request, "community/app/event.html", context)


@login_required
@require_POST
@denied_is_403
def attendance(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    signup = selectors.signup_get(user=request.user, pk=pk)
    services.event_attendance_mark(
        by=request.user, signup=signup, attended=request.POST.get("attended") == "1"
    )
    return redirect(reverse("community:event", args=[signup.event_id]) + f"#s{signup.pk}")
