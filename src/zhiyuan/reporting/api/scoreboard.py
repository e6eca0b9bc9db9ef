"""/api/v1/scoreboard (ranked rows), /api/v1/scoreboard/heatmap (cells), the campaign summary PDF.

Scoped like the page: a unit sees its subtree, the city office all; a unit or campaign outside the scope is
a 404. Both lists are paginated over units with `limit`/`offset`: `{"items": [...], "count": N, ...}`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.pagination import PageQuery
from zhiyuan.reporting.selectors.scoreboard import Cell, UnitScore
from zhiyuan.reporting.selectors.scoreboard_params import filters_from
from zhiyuan.reporting.services.summary_pdf import campaign_summary_pdf
from zhiyuan.reporting.views.scoreboard_campaign import reporting_campaign

router = Router(tags=["scoreboard"])


class ScoreboardQuery(PageQuery):
    # a query string is text: pydantic parses it to the field's type; an unknown parameter is still a 422
    model_config = ConfigDict(extra="forbid")

    period: str = Field("month", description="month | year | range")
    year: int | None = None
    month: int | None = None
    first: date | None = Field(None, description="range: first day (Beijing)")
    last: date | None = Field(None, description="range: last day, inclusive")
    campaign: int | None = None
    rule: int | None = None
    unit: int | None = Field(None, description="only this organisation's subtree")


class WindowOut(Schema):
    first: date
    last: date
    label: str


class ScoreRow(Schema):
    rank: int
    organization_id: int
    organization: str
    due: int
    on_time: int
    late: int
    missing: int
    pending: int
    on_time_percent: int | None
    average_lateness_hours: float | None
    duties_done: int
    volunteers: int
    hours: float


class ScoreboardOut(Schema):
    window: WindowOut
    items: list[ScoreRow]
    count: int


class DeadlineOut(Schema):
    rule_id: int
    title: str
    period: str
    due_at: datetime


class HeatRow(Schema):
    organization_id: int
    organization: str
    cells: list[str] = Field(description=f"per deadline: {', '.join(Cell.ORDER)}, or '' when not owed")


class HeatmapOut(Schema):
    window: WindowOut
    deadlines: list[DeadlineOut]
    items: list[HeatRow]
    count: int


def _row(r: UnitScore) -> dict[str, Any]:
    return {
        "rank": r.rank,
        "organization_id": r.organization.pk,
        "organization": r.organization.name,
        "due": r.due,
        "on_time": r.on_time,
        "late": r.late,
        "missing": r.missing,
        "pending": r.pending,
        "on_time_percent": r.on_time_percent,
        "average_lateness_hours": r.average_lateness_hours,
        "duties_done": r.activity.duties_done,
        "volunteers": r.activity.volunteers,
        "hours": float(r.activity.hours),
    }


def _params(q: ScoreboardQuery) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in q.dict().items() if v is not None}


@router.get("/scoreboard", response={200: ScoreboardOut, 404: Error, 422: ValidationErrors})
def get_scoreboard(request: AuthedRequest, q: Query[ScoreboardQuery]) -> Any:
    filters = filters_from(request.auth, _params(q))
    board = filters.run(request.auth)
    w = board.window
    return {
        "window": {"first": w.first, "last": w.last, "label": w.label},
        "items": [_row(r) for r in board.rows[q.offset : q.offset + q.limit]],
        "count": len(board.rows),
    }


@router.get("/scoreboard/heatmap", response={200: HeatmapOut, 404: Error, 422: ValidationErrors})
def get_heatmap(request: AuthedRequest, q: Query[ScoreboardQuery]) -> Any:
    filters = filters_from(request.auth, _params(q))
    board = filters.run(request.auth)
    w = board.window
    rows = board.rows[q.offset : q.offset + q.limit]
    return {
        "window": {"first": w.first, "last": w.last, "label": w.label},
        "deadlines": [
            {"rule_id": d.rule_id, "title": d.title, "period": d.period, "due_at": d.due_at}
            for d in board.deadlines
        ],
        "items": [
            {"organization_id": r.organization.pk, "organization": r.organization.name, "cells": cells}
            for r, cells in board.heat_rows(rows)
        ],
        "count": len(board.rows),
    }


@router.get("/campaigns/{slug}/summary.pdf", response={200: None, 404: Error})
def get_summary_pdf(request: AuthedRequest, slug: str) -> HttpResponse:
    """活动综述 as a PDF: key figures, hours per week, the units' summaries and photos."""
    campaign = reporting_campaign(request.auth, slug)
    response = HttpResponse(campaign_summary_pdf(campaign), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename={campaign.slug}-summary.pdf"
    return response
