"""需求摸排 pages (/app/community/needs/…): visits, the needs recorded at each, ticket help to follow up,
and the aggregates by district and city."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.community.forms import NeedForm, TicketForm, VisitForm
from zhiyuan.community.models import NeedRecord
from zhiyuan.community.selectors import needs as selectors
from zhiyuan.community.services import needs as services
from zhiyuan.community.views.common import form_page, page_of, querystring
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm


@login_required
def overview(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "cities": selectors.needs_aggregate(user=request.user),
        "page": page_of(request, selectors.visit_list(user=request.user)),
        "querystring": querystring(request),
        "can_record": access.holds_any(request.user, [Perm.COMMUNITY_CHANGE]),
    }
    return render(request, "community/app/needs.html", context)


@login_required
@denied_is_403
def visit_create(request: AuthedHttpRequest) -> HttpResponse:
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        visit = submit(form, services.visit_create, by=request.user, **form.cleaned_data)
        if visit is not None:
            messages.success(request, _("已记录走访，请逐人登记需求。"))
            return redirect("community:visit", pk=visit.pk)
    return form_page(request, form, _("记录走访"), reverse("community:needs"), _("需求摸排"))


@login_required
def visit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, pk=pk)
    context = {
        "v": visit,
        "needs": selectors.needs_of(visit),
        "can_change": access.can(request.user, Perm.COMMUNITY_CHANGE, visit.organization),
        "ticket_form": TicketForm(),
    }
    return render(request, "community/app/visit.html", context)


@login_required
@denied_is_403
def need_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, pk=pk)
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        need = submit(form, services.need_add, by=request.user, visit=visit, **form.cleaned_data)
        if need is not None:
            messages.success(request, _("已登记。"))
            return redirect("community:visit", pk=visit.pk)
    back = reverse("community:visit", args=[visit.pk])
    return form_page(
        request, form, _("登记需求：%(site)s") % {"site": visit.site_name}, back, visit.site_name
    )


@login_required
@require_POST
@denied_is_403
def need_ticket(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    need: NeedRecord = selectors.need_get(user=request.user, pk=pk)
    form = TicketForm(request.POST)
    if form.is_valid():
        try:
            done = submit(form, services.need_ticket_set, by=request.user, need=need, **form.cleaned_data)
            if done is not None:
                messages.success(request, _("已更新订票情况。"))
            else:
                messages.error(request, _("请检查填写的内容。"))
        except Refused as exc:
            messages.error(request, str(exc))
    return redirect("community:visit", pk=need.visit_id)


@login_required
def ticket_queue(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.ticket_queue(user=request.user)),
        "querystring": querystring(request),
    }
    return render(request, "community/app/tickets.html", context)
