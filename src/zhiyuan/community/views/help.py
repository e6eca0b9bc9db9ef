"""Officers' help-request pages (/app/community/help/…): the queue of the organisations in scope, a request
with its handling steps, and filing on a caller's behalf from the hotline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.community.forms import AdvanceForm, HelpForm
from zhiyuan.community.models import HelpKind, HelpRequest
from zhiyuan.community.selectors import help as selectors
from zhiyuan.community.services import help as services
from zhiyuan.community.views.common import form_page, page_of, querystring
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm


@login_required
def help_queue(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    qs = selectors.help_queue(user=request.user, status="" if status == "all" else status, kind=kind)
    context = {
        "page": page_of(request, qs),
        "status": status,
        "kind": kind,
        "statuses": HelpRequest.Status.choices,
        "kinds": HelpKind.choices,
        "querystring": querystring(request),
        "can_file": access.holds_any(request.user, [Perm.COMMUNITY_CHANGE]),
    }
    return render(request, "community/app/help_queue.html", context)


@login_required
def help_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.help_get(user=request.user, pk=pk)
    can_handle = access.can(request.user, Perm.COMMUNITY_CHANGE, r.organization)
    initial = {"status": HelpRequest.Status.IN_PROGRESS if r.status == "accepted" else r.status}
    context = {"r": r, "can_handle": can_handle, "form": AdvanceForm(initial=initial)}
    return render(request, "community/app/help_detail.html", context)


@login_required
@require_POST
@denied_is_403
def help_advance(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.help_get(user=request.user, pk=pk)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            done = submit(
                form, services.help_request_advance, by=request.user, help_request=r, **form.cleaned_data
            )
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("community:help", pk=r.pk)
        if done is not None:
            messages.success(request, _("已记录办理情况。"))
            return redirect("community:help", pk=r.pk)
    context = {"r": r, "can_handle": True, "form": form}
    return render(request, "community/app/help_detail.html", context, status=422)


@login_required
@denied_is_403
def help_file_for_caller(request: AuthedHttpRequest) -> HttpResponse:
    """热线代填: the operator is recorded as having filed it; the caller gets the code read out."""
    if not access.holds_any(request.user, [Perm.COMMUNITY_CHANGE]):
        raise access.PermissionDenied()
    form = HelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = submit(
                form,
                services.help_request_file,
                by=request.user,
                kind=data["kind"],
                description=data["description"],
                phone_number=data["phone"],
                name=data["name"],
                station=data["station"],
                place=data["place"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
            filed = None
        if filed is not None:
            messages.success(request, _("已登记，请把查询码 %(code)s 告诉来电人。") % {"code": filed.code})
            if selectors.help_queue(user=request.user, status="").filter(pk=filed.pk).exists():
                return redirect("community:help", pk=filed.pk)
            return redirect("community:help_queue")
    return form_page(request, form, _("热线代为登记求助"), reverse("community:help_queue"), _("求助"))
