"""附件4 信息上报表: the printed form, one sheet per activity report submitted or accepted for the campaign."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from tests.test_reporting_fixtures import after_duty, campaign, duty
from zhiyuan.campaigns.exports import NotAvailable, export_attachment
from zhiyuan.reporting.models import Submission

LABELS = ["组织单位", "活动时间", "活动地点", "活动内容", "详细信息", "其他需要说明的情况"]
TITLE = "郑州市2019年春运期间关爱外来务工人员\n志愿服务活动信息上报表"
NOTE = "备注：请于活动结束后24小时内，将活动信息、相关图片和上报表一并发送至zzszyfwc@126.com。"


def report(rule: Any, org: Any, d: Any, status: str, by: Any, **fields: str) -> Submission:
    return Submission.objects.create(
        rule=rule,
        organization=org,
        period=f"duty-{d.pk}",
        duty=d,
        status=status,
        fields=fields,
        created_by=by,
    )


@pytest.fixture
def reports(world: Any) -> Any:
    c = campaign(world.city, "chunyun-2019")
    c.form_notes = {"4": NOTE}  # as the seed loader sets it
    c.save()
    rule = after_duty(c, title="活动信息上报")
    d1, d2, d3 = (duty(c, world.east_team, date(2019, 1, day)) for day in (24, 25, 26))
    report(
        rule,
        world.east_team,
        d1,
        Submission.Status.ACCEPTED,
        world.admin,
        organizer="青年志愿服务队",
        activity_time="2019年1月24日 8:00-12:00",
        place="郑州火车站东广场",
        content="文明引导、免费热水",
        details="共有志愿者20人参加，服务旅客约3000人次。",
        other="=SUM(A1)",  # a formula-looking text stays text
    )
    report(rule, world.west_team, d2, Submission.Status.SUBMITTED, world.admin, place="火车东站")
    report(rule, world.west_team, d3, Submission.Status.DRAFT, world.admin, place="草稿不导出")
    return c


def test_one_printed_form_per_delivered_report(reports: Any) -> None:
    book = load_workbook(io.BytesIO(export_attachment(reports, 4)))
    assert book.sheetnames == ["1-青年志愿服务队（东）", "2-巾帼志愿服务队（西）"]
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "附件4：" and rows[1][0] == TITLE
    assert [r[0] for r in rows[2:8]] == LABELS
    assert [r[1] for r in rows[2:8]] == [
        "青年志愿服务队",
        "2019年1月24日 8:00-12:00",
        "郑州火车站东广场",
        "文明引导、免费热水",
        "共有志愿者20人参加，服务旅客约3000人次。",
        "=SUM(A1)",  # text, without a visible quote
    ]
    assert sheet["B8"].data_type == "s"
    assert rows[8][0] == NOTE
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:B1", "A2:B2", "A9:B9"}
    # a report without 组织单位 filled in is printed with the reporting unit's name
    second = list(book.worksheets[1].iter_rows(values_only=True))
    assert second[2][1] == "巾帼志愿服务队（西）" and second[4][1] == "火车东站"


def test_without_reports_the_blank_form_is_printed(world: Any) -> None:
    c = campaign(world.city, "chunyun-2019")
    c.form_notes = {"4": NOTE}
    c.save()
    sheet = load_workbook(io.BytesIO(export_attachment(c, 4))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == TITLE and [r[0] for r in rows[2:8]] == LABELS and rows[8][0] == NOTE
    assert all(r[1] is None or r[1] == "" for r in rows[2:8])


def test_the_command_writes_attachment_4_and_refuses_an_unknown_number(reports: Any, tmp_path: Any) -> None:
    out = tmp_path / "a4.xlsx"
    call_command("export_attachment", "chunyun-2019", "4", output=str(out))
    assert load_workbook(out).worksheets[0]["A3"].value == "组织单位"
    with pytest.raises(NotAvailable):
        export_attachment(reports, 6)


def test_download_from_the_campaign_page_is_scoped(world: Any, reports: Any) -> None:
    east = Client()
    east.force_login(world.east_officer)
    page = east.get(f"/app/campaigns/{reports.slug}/").content.decode()
    assert "/app/reports/campaigns/chunyun-2019/attachment-4.xlsx" in page
    r = east.get("/app/reports/campaigns/chunyun-2019/attachment-4.xlsx")
    assert r.status_code == 200 and load_workbook(io.BytesIO(r.content)).worksheets[0]["A2"].value == TITLE
    outsider = Client()
    from tests.factories import MembershipFactory, OrganizationFactory
    from zhiyuan.organizations.models import Kind
    from zhiyuan.organizations.roles import Role

    elsewhere = OrganizationFactory(name="别的城市文明办", kind=Kind.OFFICE)
    outsider.force_login(MembershipFactory(organization=elsewhere, role=Role.OFFICER).user)
    assert outsider.get("/app/reports/campaigns/chunyun-2019/attachment-4.xlsx").status_code == 404
