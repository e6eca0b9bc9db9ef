"""/app/reports/scoreboard/: the ranked table and the deadline heat-map, and their XLSX export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhiyuan.campaigns.selectors.campaigns import campaign_list
from zhiyuan.core import access
from zhiyuan.core.errors import field_errors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.selectors.scoreboard import Cell, Deadline, UnitScore
from zhiyuan.reporting.selectors.scoreboard_params import KEYS, Filters, as_params, filters_from
from zhiyuan.reporting.selectors.scoreboard_window import month_window
from zhiyuan.reporting.services.deadlines import SHANGHAI
from zhiyuan.reporting.services.scoreboard_export import COLOURS, scoreboard_xlsx

# Beyond this many deadlines a heat-map stops being readable on any screen; the page says so and the
# XLSX export carries them all.
MAX_COLUMNS = 120
# one bar per unit: past this a phone scrolls through a chart taller than the table it summarises
RATE_BARS = 20
# colour is never the only signal: each cell also carries a mark and a spoken label
SYMBOLS = {
    Cell.ON_TIME: "✓",
    Cell.LATE_HOUR: "1",
    Cell.LATE_DAY: "24",
    Cell.LATER: "!",
    Cell.MISSING: "✗",
    Cell.PENDING: "…",
}


def heatmap_chart(heat: list[tuple[UnitScore, list[str]]], columns: list[Deadline]) -> dict[str, Any]:
    """What static/js/charts.js draws: units × deadlines, each cell the index of its category."""
    index = {c: i for i, c in enumerate(Cell.ORDER)}
    return {
        "x": [f"{d.due_at.astimezone(SHANGHAI):%m-%d %H:%M}" for d in columns],
        "xFull": [f"{d.title} {d.due_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" for d in columns],
        "y": [r.organization.name for r, _cells in heat] if columns else [],
        "cells": [[x, y, index[c]] for y, (_r, cells) in enumerate(heat) for x, c in enumerate(cells) if c],
        "categories": [
            {"label": str(Cell.LABELS[c]), "colour": COLOURS[c], "mark": SYMBOLS[c]} for c in Cell.ORDER
        ],
        "names": {"y": _("单位"), "x": _("上报期限"), "value": _("完成情况")},
        "label": _("上报期限热力图"),
        "empty": _("该时段内没有上报期限。"),
    }


def on_time_chart(rows: list[UnitScore]) -> dict[str, Any]:
    """The ranked units' on-time rate; units with nothing settled yet have no rate and no bar."""
    rated = [r for r in rows if r.on_time_percent is not None][:RATE_BARS]
    return {
        "names": [f"{r.rank}. {r.organization.name}" for r in rated],
        "values": [r.on_time_percent for r in rated],
        "max": 100,
        "suffix": "%",
        "series": _("按时率"),
        "horizontal": True,
        "label": _("各单位按时率"),
        # with no units at all the table already says so; a second empty notice would only repeat it
        "empty": _("该时段内还没有到期的上报。") if rows else "",
    }


def _forbidden(request: AuthedHttpRequest) -> HttpResponse | None:
    if access.holds_any(request.user, [Perm.REPORT_VIEW]):
        return None
    return render(request, "403.html", {"message": _("您无权查看上报考核。")}, status=403)


@login_required
def page(request: AuthedHttpRequest) -> HttpResponse:
    refused = _forbidden(request)
    if refused:
        return refused
    errors: list[str] = []
    try:
        filters = filters_from(request.user, request.GET)
    except ValidationError as exc:
        errors = [m for ms in field_errors(exc).values() for m in ms]
        today = timezone.localdate()
        filters = Filters(window=month_window(today.year, today.month))
    board = filters.run(request.user)
    paged = Paginator(board.rows, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    columns = board.deadlines[:MAX_COLUMNS]
    units_shown = list(paged.object_list)
    heat_cells = [(r, cells[:MAX_COLUMNS]) for r, cells in board.heat_rows(units_shown)]
    heat = [
        (r, [(c, Cell.LABELS[c] if c else _("无需上报"), SYMBOLS.get(c, "")) for c in cells])
        for r, cells in heat_cells
    ]
    kept = {k: request.GET[k] for k in KEYS if request.GET.get(k)}
    context = {
        "board": board,
        "filters": filters,
        "errors": errors,
        "page": paged,
        "columns": [(d, d.due_at.astimezone(SHANGHAI)) for d in columns],
        "hidden_columns": len(board.deadlines) - len(columns),
        "heat": heat,
        "legend": [(c, Cell.LABELS[c], SYMBOLS[c]) for c in Cell.ORDER],
        "params": request.GET,
        "query": urlencode(kept),
        "export_query": urlencode(as_params(filters)),
        "campaigns": list(
            campaign_list(user=request.user, perm=Perm.REPORT_VIEW).values_list("pk", "title")[:100]
        ),
        "units": list(
            access.organizations(request.user, Perm.REPORT_VIEW)
            .order_by("path")
            .values_list("pk", "name")[:500]
        ),
        "years": list(range(timezone.localdate().year + 1, 2014, -1)),
        "months": list(range(1, 13)),
        "totals": board.totals(),
        "heatmap_chart": heatmap_chart(heat_cells, columns),
        "rate_chart": on_time_chart(units_shown),
    }
    return render(request, "reporting/scoreboard/page.html", context)


@login_required
def export(request: AuthedHttpRequest) -> HttpResponse:
    refused = _forbidden(request)
    if refused:
        return refused
    try:
        filters = filters_from(request.user, request.GET)
    except ValidationError as exc:
        for m in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, m)
        return redirect(reverse("reporting:scoreboard") + "?" + request.GET.urlencode())
    board = filters.run(request.user)
    response = HttpResponse(
        scoreboard_xlsx(board),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"scoreboard-{filters.window.first:%Y%m%d}-{filters.window.last:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename={name}"
    return response
