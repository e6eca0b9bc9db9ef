"""My data (download, ask for deletion) and the officers' queue of deletion requests."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import DeletionRequest, Volunteer
from zhiyuan.people.services.data_rights import (
    deletion_request_create,
    deletion_request_process,
    volunteer_data,
    volunteer_data_xlsx,
)


def _mine(request: AuthedHttpRequest) -> Volunteer | None:
    return Volunteer.objects.filter(user=request.user).select_related("user", "home_organization").first()


@login_required
def my_data(request: AuthedHttpRequest, fmt: str) -> HttpResponse:
    volunteer = _mine(request)
    if volunteer is None:
        return redirect("register")
    if fmt not in ("json", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(
            volunteer_data_xlsx(volunteer=volunteer),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            json.dumps(volunteer_data(volunteer=volunteer), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f"attachment; filename=my-data-{volunteer.number}.{fmt}"
    return response


@login_required
@require_POST
def request_deletion(request: AuthedHttpRequest) -> HttpResponse:
    volunteer = _mine(request)
    if volunteer is None:
        return redirect("register")
    try:
        deletion_request_create(volunteer=volunteer, reason=request.POST.get("reason", ""))
        messages.success(request, _("已提交删除申请，所属文明办处理后将匿名化您的信息。"))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("people:me")


def _queue(request: AuthedHttpRequest) -> QuerySet[DeletionRequest]:
    return DeletionRequest.objects.filter(
        access.scope(request.user, Perm.VOLUNTEER_CHANGE, via="volunteer__home_organization")
    ).select_related("volunteer__user", "volunteer__home_organization", "processed_by")


@login_required
def deletion_queue(request: AuthedHttpRequest) -> HttpResponse:
    requests = _queue(request).order_by("status", "-created_at")[:200]
    return render(request, "people/deletions.html", {"requests": requests})


@login_required
@require_POST
def deletion_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_or_404(_queue(request), pk=pk)
    try:
        deletion_request_process(
            by=request.user,
            request=item,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("已处理。"))
    except (Refused, ValidationError, access.PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("people:deletions")
