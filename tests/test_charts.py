"""The ECharts charts on the scoreboard, rankings and compliance pages: the script, the box, the payload."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from tests.people_helpers import bulk_volunteers
from tests.test_compliance import WEEK, members, rollups
from tests.test_rankings import credit
from tests.test_scoreboard import build_scene, unit
from tests.test_scoreboard_pages import RANGE
from tests.test_scoreboard_pages import URL as SCOREBOARD
from zhiyuan.organizations.models import Organization
from zhiyuan.reporting.selectors.scoreboard import UnitScore
from zhiyuan.reporting.views.scoreboard import on_time_chart

RANKINGS = "/app/hours/rankings/"
COMPLIANCE = "/app/hours/compliance/"
ON_TIME, LATE_HOUR, LATE_DAY, LATER, MISSING, PENDING = range(6)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def payload(html: str, element_id: str) -> Any:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no json_script {element_id}"
    return json.loads(found.group(1))


def assert_loads_echarts(html: str, kind: str, source: str) -> None:
    assert re.search(r'<script src="/static/vendor/echarts\.min\.js" defer></script>', html)
    assert re.search(r'<script src="/static/js/charts\.js" defer></script>', html)
    assert 'class="chart' in html and f'data-chart="{kind}" data-source="{source}"' in html


def test_the_scripts_are_served_from_static() -> None:
    assert finders.find("vendor/echarts.min.js") and finders.find("js/charts.js")
    assert finders.find("css/charts.css")


def test_scoreboard_heatmap_and_rate_chart(world: Any) -> None:
    build_scene(world)
    html = client_for(world.admin).get(f"{SCOREBOARD}?{RANGE}").content.decode()
    assert_loads_echarts(html, "heatmap", "heatmap-data")
    assert 'data-chart="bars" data-source="rate-data"' in html
    heat = payload(html, "heatmap-data")
    assert heat["y"] == ["甲单位", "乙单位", "丙单位"]
    assert heat["x"] == ["01-21 15:30", "01-22 15:30", "01-23 15:30"]
    assert heat["xFull"][0].endswith("2019-01-21 15:30")
    # every deadline in 2019 has passed, so nothing is pending any more
    by_unit = [sorted(c[::2] for c in heat["cells"] if c[1] == y) for y in range(3)]  # (column, category)
    assert by_unit == [
        [[0, ON_TIME], [1, LATE_HOUR], [2, MISSING]],
        [[0, LATER], [1, MISSING], [2, MISSING]],
        [[0, MISSING], [1, MISSING], [2, MISSING]],
    ]
    assert len(heat["cells"]) == 9
    assert [c["label"] for c in heat["categories"]] == [
        "按时",
        "迟报不足1小时",
        "迟报不足24小时",
        "迟报超过24小时",
        "未报",
        "未到期",
    ]
    assert heat["categories"][ON_TIME]["colour"] == "#1b7f3b" and heat["categories"][MISSING]["mark"] == "✗"
    assert heat["names"] == {"y": "单位", "x": "上报期限", "value": "完成情况"}
    rate = payload(html, "rate-data")
    assert rate["names"] == ["1. 甲单位", "2. 乙单位", "3. 丙单位"]
    assert rate["values"] == [33, 0, 0] and rate["max"] == 100 and rate["horizontal"] is True
    # the table stays, folded under the chart, for screen readers and browsers without JavaScript
    assert 'data-chart-fallback="heatmap-data"' in html and "hm-on_time" in html


def test_scoreboard_payload_is_escaped_not_markup(world: Any) -> None:
    scene = build_scene(world)
    scene.a.name = "</script><script>alert(1)</script>"
    scene.a.save()
    html = client_for(world.admin).get(f"{SCOREBOARD}?{RANGE}").content.decode()
    assert "<script>alert(1)" not in html
    assert payload(html, "heatmap-data")["y"][0] == "</script><script>alert(1)</script>"


def test_scoreboard_empty_period_has_an_empty_state(world: Any) -> None:
    unit(world.east, "甲单位")
    html = client_for(world.admin).get(f"{SCOREBOARD}?period=year&year=2030").content.decode()
    heat = payload(html, "heatmap-data")
    assert (heat["x"], heat["y"], heat["cells"]) == ([], [], [])
    assert heat["empty"] == "该时段内没有上报期限。"
    # no units at all: the ranked table's own empty row says it, the rate chart adds nothing
    rate = payload(html, "rate-data")
    assert (rate["values"], rate["empty"]) == ([], "")


def test_rankings_bar_chart(world: Any) -> None:
    three = bulk_volunteers(world.east, 3, prefix="图表")
    for i, v in enumerate(three):
        credit(world, v, world.east_team, date(2026, 4, 6), i + 1)
    client = client_for(world.east_officer)
    query = {"organization": world.east.pk, "start": "2026-01-01", "end": "2026-12-31"}
    html = client.get(RANKINGS, query).content.decode()
    assert_loads_echarts(html, "bars", "rankings-data")
    chart = payload(html, "rankings-data")
    assert [n.split(". ", 1)[0] for n in chart["names"]] == ["1", "2", "3"]
    assert chart["values"] == [3.0, 2.0, 1.0] and chart["horizontal"] is True
    assert chart["suffix"] == "小时" and chart["label"] == "前二十名"
    assert 'style="display:block;width:' not in html  # the CSS bars are gone
    assert three[2].number in html  # the table is still there
    empty = client.get(RANKINGS, {**query, "start": "2020-01-01", "end": "2020-12-31"}).content.decode()
    chart = payload(empty, "rankings-data")
    assert (chart["names"], chart["values"], chart["empty"]) == ([], [], "这段时间没有服务记录。")


def test_rankings_page_with_errors_draws_no_chart(world: Any) -> None:
    html = client_for(world.east_officer).get(RANKINGS, {"start": "nonsense"}).content.decode()
    assert "rankings-data" not in html and "日期格式有误" in html


def test_compliance_weekly_chart(world: Any) -> None:
    team = members(world.east_team, 10)
    rollups(team, ["5"] * 5 + ["1"] * 5)
    rollups(team[:2], ["6", "6"], week=WEEK - timedelta(weeks=1))
    html = (
        client_for(world.east_officer)
        .get(COMPLIANCE, {"organization": world.east.pk, "week": WEEK.isoformat()})
        .content.decode()
    )
    assert_loads_echarts(html, "bars", "compliance-data")
    chart = payload(html, "compliance-data")
    assert chart["names"] == ["11-02", "11-09", "11-16", "11-23", "11-30"]
    assert chart["values"] == [0, 20, 50, 0, 0] and chart["max"] == 100 and chart["suffix"] == "%"
    assert chart["notes"][2] == "2026-11-16 起：5/10 人达标（要求 5 小时）"
    assert chart["subtitle"] == "每周要求 5 小时"
    assert "<svg" not in html
    # the text equivalent: one row per week
    assert "<td>2026-11-16</td>" in html and "<td>5/10</td><td>50%</td>" in html


def test_compliance_with_nobody_to_count_shows_the_empty_state(world: Any) -> None:
    html = (
        client_for(world.east_officer)
        .get(COMPLIANCE, {"organization": world.east.pk, "week": WEEK.isoformat()})
        .content.decode()
    )
    chart = payload(html, "compliance-data")
    assert (chart["names"], chart["values"], chart["empty"]) == ([], [], "本月没有可统计的志愿者。")


def test_pages_without_a_chart_do_not_load_echarts(world: Any) -> None:
    response = client_for(world.admin).get("/app/orgs/")
    assert response.status_code == 200 and "<main" in response.content.decode()
    assert "echarts" not in response.content.decode()


def test_the_rate_chart_keeps_the_first_twenty_units_with_a_rate() -> None:
    unrated = UnitScore(organization=Organization(name="未到期单位"), pending=1, rank=1)
    rated = [
        UnitScore(organization=Organization(name=f"单位{i}"), on_time=1, late=1, rank=i) for i in range(2, 30)
    ]
    chart = on_time_chart([unrated, *rated])
    assert chart["names"][0] == "2. 单位2" and len(chart["names"]) == 20 and chart["values"] == [50] * 20
