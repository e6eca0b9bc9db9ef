"""志愿者时长排名 (/app/hours/rankings/): per team, unit or campaign for a period; a table, a bar chart of the
leaders, and the whole list as XLSX."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign
from zhiyuan.campaigns.selectors.campaigns import campaign_list
from zhiyuan.core import access
from zhiyuan.core.errors import field_errors
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.core.spreadsheets import new_workbook, safe_cell
from zhiyuan.hours.services.rankings import RankRow, ranking
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

CHART_BARS = 20


@dataclass
class Choice:
    organization: Organization | None
    campaign: Campaign | None
    start: date | None
    end: date | None
    errors: list[str]


def _date(raw: str | None, default: date, errors: list[str]) -> date | None:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_("日期格式有误：%(value)s。") % {"value": raw[:20]})
        return None


def _choice(request: AuthedHttpRequest) -> Choice:
    """What to rank, from the query string: unknown or out-of-scope organisations and campaigns are 404."""
    today = timezone.localdate()
    errors: list[str] = []
    start = _date(request.GET.get("start"), today.replace(month=1, day=1), errors)
    end = _date(request.GET.get("end"), today, errors)
    organization = campaign = None
    if slug := request.GET.get("campaign"):
        campaign = access.get_or_404(campaign_list(user=request.user), slug=slug)
    else:
        scoped = access.organizations(request.user, Perm.HOURS_VIEW).order_by("path")
        raw = request.GET.get("organization")
        organization = (
            access.get_or_404(access.organizations(request.user, Perm.ORG_VIEW), pk=raw)
            if raw
            else scoped.first()
        )
    return Choice(organization, campaign, start, end, errors)


def _ranked(request: AuthedHttpRequest, choice: Choice, **window: Any) -> tuple[list[RankRow], int]:
    return ranking(
        user=request.user,
        start=choice.start,
        end=choice.end,
        organization=choice.organization,
        campaign=choice.campaign,
        **window,
    )


@login_required
@denied_is_403
def rankings(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [Perm.HOURS_VIEW]):
        return render(request, "403.html", {"message": _("您无权查看志愿者排名。")}, status=403)
    choice = _choice(request)
    if choice.organization is None and choice.campaign is None:
        return render(request, "403.html", {"message": _("您无权查看志愿者排名。")}, status=403)
    size = settings.ZHIYUAN_PAGE_SIZE
    errors = list(choice.errors)
    rows: list[RankRow] = []
    count, number = 0, 1
    if not errors:
        try:
            number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            number = 1
        try:
            rows, count = _ranked(request, choice, offset=(number - 1) * size, limit=size)
        except ValidationError as exc:
            errors = [m for ms in field_errors(exc).values() for m in ms]
    pages = max(1, math.ceil(count / size))
    query = request.GET.copy()
    query.pop("page", None)
    leaders = rows[:CHART_BARS] if number == 1 else []
    context = {
        "choice": choice,
        "errors": errors,
        "rows": rows,
        "count": count,
        "number": number,
        "pages": pages,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
        "organizations": list(access.organizations(request.user, Perm.HOURS_VIEW).order_by("path")[:200]),
        "campaigns": list(campaign_list(user=request.user, perm=Perm.HOURS_VIEW).order_by("-starts_on")[:50]),
        "chart": {
            "names": [f"{r.rank}. {r.name}" for r in leaders],
            "values": [float(r.hours) for r in leaders],
            "suffix": _("小时"),
            "series": _("期间时长"),
            "horizontal": True,
            "label": _("前二十名"),
            "empty": _("这段时间没有服务记录。") if number == 1 and not errors else "",
        },
        "query": query,
    }
    return render(request, "hours/rankings/index.html", context)


@login_required
@denied_is_403
def rankings_xlsx(request: AuthedHttpRequest) -> HttpResponse:
    choice = _choice(request)
    if choice.organization is None and choice.campaign is None:
        return render(request, "403.html", {"message": _("您无权查看志愿者排名。")}, status=403)
    if choice.errors:
        return HttpResponse("\n".join(choice.errors), status=400, content_type="text/plain; charset=utf-8")
    try:
        rows, _count = _ranked(request, choice)
    except ValidationError as exc:
        message = "\n".join(m for ms in field_errors(exc).values() for m in ms)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    subject = choice.campaign.title if choice.campaign else choice.organization.name  # type: ignore[union-attr]
    body = rankings_workbook(rows, title=f"{subject} {choice.start}—{choice.end} {_('志愿者服务时长排名')}")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="rankings-{choice.start}-{choice.end}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def rankings_workbook(rows: list[RankRow], *, title: str) -> bytes:
    buffer, book = new_workbook()
    sheet = book.add_worksheet(_("排名"))
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, safe_cell(title), bold)
    heads = [
        _("名次"),
        _("志愿者编号"),
        _("姓名"),
        _("所属区域"),
        _("期间时长"),
        _("累计时长"),
        _("星级"),
        _("期间表彰"),
    ]
    for col, head in enumerate(heads):
        sheet.write(2, col, head, bold)
    for i, r in enumerate(rows, start=3):
        sheet.write_number(i, 0, r.rank)
        sheet.write_string(i, 1, r.number)
        sheet.write_string(i, 2, str(safe_cell(r.name)))
        sheet.write_string(i, 3, str(safe_cell(r.home)))
        sheet.write_number(i, 4, float(r.hours))
        sheet.write_number(i, 5, float(r.total_hours))
        sheet.write_number(i, 6, r.stars)
        sheet.write_number(i, 7, r.awards)
    sheet.set_column(1, 3, 18)
    sheet.repeat_rows(2, 2)  # A4 at the page's width comes with new_workbook; the header on every page
    book.close()
    return buffer.getvalue()
