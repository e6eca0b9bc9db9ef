"""/app/reports/scoreboard/: the ranked table and the deadline heat-map, and their XLSX export."""

from __future__ import annotations

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
from zhiyuan.reporting.selectors.scoreboard import Cell
from zhiyuan.reporting.selectors.scoreboard_params import KEYS, Filters, as_params, filters_from
from zhiyuan.reporting.selectors.scoreboard_window import month_window
from zhiyuan.reporting.services.deadlines import SHANGHAI
from zhiyuan.reporting.services.scoreboard_export import scoreboard_xlsx

# Beyond this many deadlines a heat-map stops being readable on any screen; the page says so and the
# XLSX export carries them all.
MAX_COLUMNS = 120
# colour is never the only signal: each cell also carries a mark and a spoken label
SYMBOLS = {
    Cell.ON_TIME: "✓",
    Cell.LATE_HOUR: "1",
    Cell.LATE_DAY: "24",
    Cell.LATER: "!",
    Cell.MISSING: "✗",
    Cell.PENDING: "…",
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
    heat = [
        (r, [(c, Cell.LABELS[c] if c else _("无需上报"), SYMBOLS.get(c, "")) for c in cells[:MAX_COLUMNS]])
        for r, cells in board.heat_rows(list(paged.object_list))
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
