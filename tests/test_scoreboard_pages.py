"""考核 page, XLSX export and API: what each person sees, the heat-map, bad input, IDOR, query counts, size."""

from __future__ import annotations

import io
import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories import MembershipFactory, OrganizationFactory
from tests.test_reporting_fixtures import bj, campaign, daily
from tests.test_scoreboard import _grow, build_scene
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.selectors.scoreboard import scoreboard
from zhiyuan.reporting.selectors.scoreboard_window import range_window
from zhiyuan.reporting.services.scoreboard_export import scoreboard_xlsx

URL = "/app/reports/scoreboard/"
RANGE = "period=range&first=2019-01-21&last=2019-01-23"


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_page_ranks_units_and_draws_the_heatmap(world: Any) -> None:
    build_scene(world)
    r = client_for(world.admin).get(f"{URL}?{RANGE}")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("甲单位") < html.index("乙单位") < html.index("丙单位")
    for mark in ("hm-on_time", "hm-late_hour", "hm-later", "hm-missing", "上报期限热力图", "hm-wrap"):
        assert mark in html
    assert "导出 Excel" in html and "scoreboard/export.xlsx?period=range" in html


def test_each_officer_sees_their_subtree_and_others_are_not_found(world: Any) -> None:
    scene = build_scene(world)
    east = client_for(world.east_officer)
    html = east.get(f"{URL}?{RANGE}").content.decode()
    assert "甲单位" in html and "丙单位" not in html
    # narrowing to a unit or a campaign outside one's scope is a 404, not an empty board
    assert east.get(f"{URL}?{RANGE}&unit={world.west.pk}").status_code == 404
    west = client_for(world.west_officer)
    assert west.get(f"{URL}?{RANGE}&campaign={scene.campaign.pk}").status_code == 404
    assert east.get(f"{URL}?{RANGE}&campaign={scene.campaign.pk}").status_code == 200
    assert west.get(f"{URL}export.xlsx?{RANGE}&unit={world.east.pk}").status_code == 404
    volunteer = MembershipFactory(organization=world.east, role=Role.VOLUNTEER).user
    assert client_for(volunteer).get(URL).status_code == 403
    assert client_for(volunteer).get(f"{URL}export.xlsx").status_code == 403
    assert Client().get(URL).status_code == 302  # to the login page


def test_bad_filters_are_all_reported_in_chinese(world: Any) -> None:
    r = client_for(world.admin).get(f"{URL}?period=range&first=2019-99-01&last=nope&unit=x")
    assert r.status_code == 200
    html = r.content.decode()
    assert "请填写正确的开始日期" in html and "请填写正确的结束日期" in html and "请填写正确的编号" in html


def test_empty_period_says_so(world: Any) -> None:
    html = client_for(world.admin).get(f"{URL}?period=year&year=2030").content.decode()
    assert "该时段内没有需要上报的单位" in html and "该时段内没有上报期限" in html


@pytest.mark.parametrize("n", [2, 5])
def test_page_query_count_is_constant(world: Any, n: int, django_assert_max_num_queries: Any) -> None:
    _grow(world, n)
    c = client_for(world.admin)
    c.get(f"{URL}?period=month&year=2019&month=1")  # fills the holiday table once
    with django_assert_max_num_queries(22):
        r = c.get(f"{URL}?period=month&year=2019&month=1")
    assert r.status_code == 200 and r.content.decode().count('<tr id="unit-') == n * n


def test_export_opens_with_the_ranking_and_the_coloured_heatmap(world: Any) -> None:
    build_scene(world)
    r = client_for(world.east_officer).get(f"{URL}export.xlsx?{RANGE}")
    assert r.status_code == 200 and r["Content-Disposition"].endswith("scoreboard-20190121-20190123.xlsx")
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["排名", "热力图"]
    ranked = list(book["排名"].iter_rows(values_only=True))
    assert ranked[1][:3] == ("名次", "单位", "应报")
    assert [row[1] for row in ranked[2:]] == ["甲单位", "乙单位"]  # the east officer's units only
    assert ranked[2][7] == 33 and ranked[2][11] == 5  # on-time % (01-23 has passed by now), hours
    heat = book["热力图"]
    assert heat.cell(5, 1).value == "甲单位" and heat.cell(5, 2).value == "按时"
    assert heat.cell(5, 2).fill.fgColor.rgb.endswith("1B7F3B")
    assert heat.cell(6, 3).value == "未报"


def test_export_of_a_city_of_200_units_and_30_deadlines_is_quick(world: Any) -> None:
    """The size the brief names: measured here, it stays well inside a request (so no background task)."""
    c = campaign(world.city, "big", starts=date(2019, 3, 1), ends=date(2019, 4, 30))
    units = [OrganizationFactory(parent=world.city, kind=Kind.UNIT, name=f"单位{i:03d}") for i in range(200)]
    r = daily(c, applies_to=world.city, kinds=[Kind.UNIT], applies_to_depth=1, title="每日简报")
    window = range_window(date(2019, 3, 1), date(2019, 4, 12))  # 30 working days (清明 4-5 is a rest day)
    days = [d for d in (date(2019, 3, 1) + timedelta(days=i) for i in range(43)) if d.weekday() < 5]
    days.remove(date(2019, 4, 5))
    Submission.objects.bulk_create(
        Submission(
            rule=r,
            organization=u,
            period=d.isoformat(),
            due_at=bj(d.year, d.month, d.day, 15, 30),
            status="submitted",
            first_submitted_at=bj(d.year, d.month, d.day, 15 + (i % 3), 0),
            on_time=i % 3 == 0,
            late_by=None if i % 3 == 0 else timedelta(minutes=30 + 60 * (i % 3)),
            created_by=world.admin,
        )
        for i, u in enumerate(units)
        for d in days[: 20 + i % 10]
    )
    started = time.perf_counter()
    board = scoreboard(user=world.admin, window=window)
    content = scoreboard_xlsx(board)
    elapsed = time.perf_counter() - started
    print(f"scoreboard + XLSX, 200 units x 30 deadlines: {elapsed:.2f} s")
    assert len(board.rows) == 200 and len(board.deadlines) == 30
    assert sum(row.missing for row in board.rows) == sum(10 - i % 10 for i in range(200))
    assert elapsed < 10, f"scoreboard + XLSX for 200 × 30 took {elapsed:.1f} s"
    assert load_workbook(io.BytesIO(content))["热力图"].max_row == 4 + 200


def test_api_scoreboard_is_scoped_paginated_and_validated(world: Any, api_as: Any) -> None:
    scene = build_scene(world)
    admin = api_as(world.admin)
    body = admin.get(f"/scoreboard?{RANGE}&limit=2").json()
    assert body["count"] == 3 and [i["organization"] for i in body["items"]] == ["甲单位", "乙单位"]
    assert body["items"][0]["on_time_percent"] == 33 and body["items"][0]["hours"] == 5.0
    assert body["window"] == {"first": "2019-01-21", "last": "2019-01-23", "label": "2019-01-21 — 2019-01-23"}
    assert [i["rank"] for i in admin.get(f"/scoreboard?{RANGE}&offset=2").json()["items"]] == [3]
    east = api_as(world.east_officer)
    assert {i["organization"] for i in east.get(f"/scoreboard?{RANGE}").json()["items"]} == {
        "甲单位",
        "乙单位",
    }
    assert east.get(f"/scoreboard?{RANGE}&unit={world.west.pk}").status_code == 404
    assert (
        api_as(world.west_officer).get(f"/scoreboard?{RANGE}&campaign={scene.campaign.pk}").status_code == 404
    )
    bad = admin.get("/scoreboard?period=month&year=1900&month=13")
    assert bad.status_code == 422 and len(bad.json()["detail"]) == 2


def test_api_heatmap_cells_line_up_with_the_deadlines(world: Any, api_as: Any) -> None:
    build_scene(world)
    body = api_as(world.east_officer).get(f"/scoreboard/heatmap?{RANGE}").json()
    assert [d["period"] for d in body["deadlines"]] == ["2019-01-21", "2019-01-22", "2019-01-23"]
    cells = {i["organization"]: i["cells"] for i in body["items"]}
    assert set(cells) == {"甲单位", "乙单位"} and body["count"] == 2
    # the API runs at today's date, so the 01-23 deadline has passed and is missing
    assert cells["甲单位"] == ["on_time", "late_hour", "missing"]
    assert cells["乙单位"] == ["later", "missing", "missing"]
    assert (
        api_as(world.west_officer).get(f"/scoreboard/heatmap?{RANGE}&unit={world.east.pk}").status_code == 404
    )


@pytest.mark.parametrize("n", [2, 5])
def test_api_query_count_is_constant(
    world: Any, n: int, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    _grow(world, n)
    city = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    client = api_as(city)
    client.get("/scoreboard?period=month&year=2019&month=1")
    with django_assert_max_num_queries(18):
        body = client.get("/scoreboard/heatmap?period=month&year=2019&month=1").json()
    assert body["count"] == n * n


def test_the_endpoints_are_in_the_openapi_document(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/scoreboard",
        "/api/v1/scoreboard/heatmap",
        "/api/v1/campaigns/{slug}/summary.pdf",
    } <= set(paths)
