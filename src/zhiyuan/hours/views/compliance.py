"""The 5-hour week by unit (/app/hours/compliance/): the rate and who is short, week by week."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.hours.services.compliance import monday, unit_compliance, unit_compliance_month
from zhiyuan.organizations.roles import Perm


@login_required
def compliance(request: AuthedHttpRequest) -> HttpResponse:
    choices = access.organizations(request.user, Perm.HOURS_VIEW).order_by("path")
    if not access.holds_any(request.user, [Perm.HOURS_VIEW]):
        return render(request, "403.html", {"message": _("您无权查看时长达标情况。")}, status=403)
    raw = request.GET.get("organization")
    organization = (
        access.get_or_404(access.organizations(request.user, Perm.ORG_VIEW), pk=raw)
        if raw
        else choices.first()
    )
    if organization is None:
        return render(request, "403.html", {"message": _("您无权查看时长达标情况。")}, status=403)
    try:
        week = monday(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        week = monday(timezone.localdate())
    try:
        result = unit_compliance(user=request.user, organization=organization, week=week)
        month = unit_compliance_month(
            user=request.user, organization=organization, year=week.year, month=week.month
        )
    except access.PermissionDenied as exc:
        return render(request, "403.html", {"message": str(exc)}, status=403)
    counted = month if any(w.total for w in month) else []  # nobody to count: an empty state, not 0% bars
    context = {
        "organization": organization,
        "choices": list(choices[:200]),
        "result": result,
        "month": month,
        "week": week,
        "previous": week - timedelta(weeks=1),
        "next": week + timedelta(weeks=1),
        "short": result.short[:200],
        "chart": {
            "names": [f"{w.week:%m-%d}" for w in counted],
            "values": [w.percent for w in counted],
            "max": 100,
            "suffix": "%",
            "series": _("达标率"),
            "notes": [
                _("%(week)s 起：%(met)s/%(total)s 人达标（要求 %(quota)s 小时）")
                % {"week": f"{w.week:%Y-%m-%d}", "met": w.met, "total": w.total, "quota": w.quota}
                for w in counted
            ],
            # the quota is hours per person and the bars are a share of people, so it is a caption, not a
            # line on the percent axis
            "subtitle": _("每周要求 %(quota)s 小时") % {"quota": result.quota},
            "label": _("本月各周达标率"),
            "empty": _("本月没有可统计的志愿者。"),
        },
    }
    return render(request, "hours/compliance.html", context)
