"""/app/ops/: the operations board (its panel refreshes itself by htmx polling), the staffing-gap forecast
and the dashboards. Thin: the selectors compute, the templates show; the same data is at /api/v1/ops/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.ops.selectors.board import board
from zhiyuan.ops.selectors.dashboards import dashboard_for
from zhiyuan.ops.selectors.forecast import forecast
from zhiyuan.organizations.roles import Perm

REFRESH_SECONDS = 15  # a scan shows on the wall screen within this, far inside the 30 s asked for


def _refused(request: HttpRequest) -> HttpResponse | None:
    if access.holds_any(request.user, [Perm.STATION_OPERATE]):  # the people who run stations
        return None
    return render(request, "403.html", {"message": _("您无权查看运行看板。")}, status=403)


@login_required
def board_page(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused:
        return refused
    return render(request, "ops/board.html", {"board": board(user=request.user), "refresh": REFRESH_SECONDS})


@login_required
def board_panel(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused:
        return refused
    return render(request, "ops/_panel.html", {"board": board(user=request.user), "refresh": REFRESH_SECONDS})


@login_required
def forecast_page(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused:
        return refused
    return render(request, "ops/forecast.html", {"gaps": forecast(user=request.user)})


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/dashboard.html", {"dash": dashboard_for(user=request.user)})
