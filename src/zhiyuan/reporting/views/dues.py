"""“我的上报” and opening a report for a period."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import DeadlineKind, ReportRule, Submission
from zhiyuan.reporting.selectors.my_dues import my_dues as my_dues_selector
from zhiyuan.reporting.services.submissions import resolve_period, submission_open


@login_required
def my_dues(request: AuthedHttpRequest) -> HttpResponse:
    rows, free = my_dues_selector(user=request.user)
    return render(request, "reporting/dues.html", {"rows": rows, "free": free, "now": timezone.now()})


def _scoped_org(request: AuthedHttpRequest, org_id: int) -> Organization:
    return access.get_or_404(access.organizations(request.user, Perm.ORG_VIEW), pk=org_id)


@login_required
@denied_is_403
def open_period(request: AuthedHttpRequest, rule_id: int, org_id: int, period: str) -> HttpResponse:
    """The page a reminder links to: the existing report, or the button that starts one."""
    org = _scoped_org(request, org_id)
    rule = access.get_or_404(ReportRule.objects.select_related("campaign"), pk=rule_id)
    existing = Submission.objects.filter(rule=rule, organization=org, period=period).first()
    if existing is not None:
        return redirect("reporting:submission", existing.pk)
    if rule.deadline_kind == DeadlineKind.ANY_TIME:
        raise Http404(_("未找到。"))
    try:
        found, _duty = resolve_period(rule, org, period)
    except Refused:
        raise Http404(_("未找到。")) from None
    if request.method == "POST":
        return _open(request, rule, org, period)
    return render(request, "reporting/open.html", {"rule": rule, "org": org, "period": found})


@login_required
@require_POST
@denied_is_403
def open_any_time(request: AuthedHttpRequest, rule_id: int, org_id: int) -> HttpResponse:
    org = _scoped_org(request, org_id)
    rule = access.get_or_404(ReportRule.objects.filter(deadline_kind=DeadlineKind.ANY_TIME), pk=rule_id)
    return _open(request, rule, org, None)


def _open(
    request: AuthedHttpRequest, rule: ReportRule, org: Organization, period: str | None
) -> HttpResponse:
    try:
        submission = submission_open(by=request.user, rule=rule, organization=org, period=period)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("reporting:my_dues")
    except ValidationError as exc:
        for m in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, m)
        return redirect("reporting:my_dues")
    return redirect("reporting:submission", submission.pk)
