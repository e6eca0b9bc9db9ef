"""The 文明办's review queue: filter, return with a comment, accept, 择优选用, publish."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.selectors.submissions import review_queue, rule_list, visible_submissions
from zhiyuan.reporting.services.reviews import (
    submission_accept,
    submission_publish,
    submission_return,
    submission_select,
)
from zhiyuan.reporting.views.report_form import PublishForm


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def queue(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [Perm.REPORT_REVIEW]):
        return render(request, "403.html", {"message": _("您无权审核上报。")}, status=403)
    status = request.GET.get("status", Submission.Status.SUBMITTED)
    if status not in Submission.Status.values:
        status = ""
    rule_id, org_id = _int(request.GET.get("rule")), _int(request.GET.get("unit"))
    qs = review_queue(user=request.user, rule_id=rule_id, status=status or None, organization_id=org_id)
    page = Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    units = (
        access.organizations(request.user, Perm.REPORT_REVIEW)
        .order_by("path")
        .values_list("pk", "name")[:500]
    )
    context = {
        "page": page,
        "status": status,
        "statuses": [(v, label) for v, label in Submission.Status.choices if v != Submission.Status.DRAFT],
        "rules": list(rule_list(user=request.user).values_list("pk", "title")),
        "units": list(units),
        "rule_id": rule_id,
        "unit_id": org_id,
        "query": request.GET.urlencode(),
    }
    return render(request, "reporting/review_queue.html", context)


@login_required
@require_POST
@denied_is_403
def decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = access.get_or_404(visible_submissions(request.user), pk=pk)
    action, comment = request.POST.get("action"), request.POST.get("comment", "")
    done = {
        "return": (
            lambda: submission_return(by=request.user, submission=s, comment=comment),
            _("已退回修改。"),
        ),
        "accept": (lambda: submission_accept(by=request.user, submission=s, comment=comment), _("已采用。")),
        "select": (
            lambda: submission_select(by=request.user, submission=s, selected=True),
            _("已择优选用。"),
        ),
        "unselect": (
            lambda: submission_select(by=request.user, submission=s, selected=False),
            _("已取消择优。"),
        ),
    }.get(action or "")
    if done is None:
        messages.error(request, _("未知的操作。"))
        return redirect("reporting:submission", s.pk)
    try:
        done[0]()
    except ValidationError as exc:
        for m in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, m)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done[1])
    if request.POST.get("next") == "queue":  # a fixed target, never a URL from the form
        return redirect("reporting:review_queue")
    return redirect("reporting:submission", s.pk)


@login_required
@require_POST
@denied_is_403
def publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = access.get_or_404(visible_submissions(request.user), pk=pk)
    form = PublishForm(request.POST)
    choices = [(str(pk_), "") for pk_ in s.files.values_list("pk", flat=True)]
    form.fields["photo_ids"].choices = choices  # type: ignore[attr-defined]
    if not form.is_valid():
        for m in (str(m) for ms in form.errors.values() for m in ms):
            messages.error(request, m)
        return redirect("reporting:submission", s.pk)
    try:
        submission_publish(
            by=request.user,
            submission=s,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            photo_ids=[int(i) for i in form.cleaned_data["photo_ids"]],
        )
    except ValidationError as exc:
        for m in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, m)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布，电话和证件号码已隐去。"))
    return redirect("reporting:submission", s.pk)
