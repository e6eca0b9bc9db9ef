"""活动综述 PDF: title, period, the units' summaries, key figures, a chart and photos; scoped downloads."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import bulk_volunteers
from tests.test_reporting_fixtures import bj, campaign, duty, rule
from zhiyuan.campaigns.models import ServiceGiven, Station
from zhiyuan.hours.services.ledger import ledger_append
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import DeadlineKind, Form, Submission, SubmissionFile
from zhiyuan.reporting.services.summary_pdf import campaign_figures, campaign_summary_pdf, hours_per_week

NEEDS_PDFTOTEXT = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(content: bytes, tmp_path: Any) -> str:
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 22, 29)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def summed(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    c = campaign(world.city, "chunyun-2019")
    c.title = "2019年春运期间关爱外来务工人员志愿服务活动"
    c.save()
    station = Station.objects.create(
        campaign=c, name="东广场站", place="郑州火车站", responsible_office=world.east
    )
    Station.objects.create(campaign=c, name="东站", place="郑州火车东站", responsible_office=world.east)
    ServiceGiven.objects.create(
        station=station, day=date(2019, 1, 24), service="hot_water", count=120, recorded_by=world.admin
    )
    duty(c, world.east_team, date(2019, 1, 24), status="done")
    duty(c, world.west_team, date(2019, 1, 25), status="done")
    duty(c, world.west_team, date(2019, 1, 26), status="cancelled")
    v1, v2 = bulk_volunteers(world.east, 2, prefix="综述")
    for v, org, start in (
        (v1, world.east_team, bj(2019, 1, 24, 8)),
        (v2, world.west_team, bj(2019, 2, 1, 9)),
    ):
        ledger_append(
            volunteer=v, organization=org, activity="文明引导", starts_at=start, ends_at=start + timedelta(hours=4),
            source="bulk", by=world.admin, late_allowed=True,
        )  # fmt: skip
    summary = rule(c, applies_to=world.city, kinds=[Kind.OFFICE], deadline_kind=DeadlineKind.ABSOLUTE,
                   form=Form.SUMMARY, due_at=bj(2019, 3, 1, 12), title="活动总结")  # fmt: skip
    Submission.objects.create(
        rule=summary, organization=world.east, period="once", status=Submission.Status.ACCEPTED,
        text="郑东新区共设站点两个。\n志愿者服务旅客三千人次。", first_submitted_at=bj(2019, 2, 28, 9),
        on_time=True, created_by=world.admin,
    )  # fmt: skip
    late = Submission.objects.create(
        rule=summary, organization=world.west, period="once", status=Submission.Status.ACCEPTED,
        text="中原区组织集中服务一次。", first_submitted_at=bj(2019, 3, 2, 9), on_time=False,
        late_by=timedelta(hours=21), created_by=world.admin,
    )  # fmt: skip
    Submission.objects.create(
        rule=summary, organization=world.city, period="once", text="草稿不印", created_by=world.admin
    )
    photo = SubmissionFile(submission=late, kind="photo", content_type="image/png", size=1, caption="火车站集中服务",
                           uploaded_by=world.admin)  # fmt: skip
    photo.file.save("p.png", ContentFile(png()), save=True)
    return c


def test_key_figures_and_hours_per_week(summed: Any) -> None:
    f = campaign_figures(summed)
    assert (f.stations, f.duties_held, f.volunteers, f.hours, f.services) == (2, 2, 2, Decimal("8.00"), 120)
    assert (f.reports, f.reports_on_time) == (2, 1)
    weeks = dict(hours_per_week(summed))
    assert weeks[date(2019, 1, 21)] == Decimal(4) and weeks[date(2019, 1, 28)] == Decimal(4)
    assert weeks[date(2019, 2, 4)] == 0 and len(weeks) == 6  # 01-21 .. 02-25, every week of the campaign


@NEEDS_PDFTOTEXT
def test_the_pdf_carries_the_chinese_title_figures_text_and_a_photo(summed: Any, tmp_path: Any) -> None:
    content = campaign_summary_pdf(summed)
    assert content.startswith(b"%PDF") and b"/Subtype /Image" in content
    text = pdf_text(content, tmp_path).replace("\n", "").replace(" ", "")  # lines wrap; CJK spacing varies
    for expected in (
        "2019年春运期间关爱外来务工人员志愿服务活动综述",
        "2019年01月21日至2019年03月01日",
        "郑东新区共设站点两个。",
        "中原区组织集中服务一次。",
        "8.00小时",
        "120人次",
        "1/2份",
        "火车站集中服务",
        "每周服务时长",
        "小时",
        "周（以周一日期标注，北京时间）",
        "01-21",
        "4.0",  # the bar's own label
    ):
        assert expected in text, expected
    assert "草稿不印" not in text


def test_the_chart_steps_round_and_says_when_there_is_nothing() -> None:
    from reportlab.platypus import Paragraph

    from zhiyuan.reporting.services.summary_pdf import _chart, _nice_step

    assert [_nice_step(t) for t in (4, 9, 37, 120, 2600)] == [1.0, 2.0, 10.0, 20.0, 500.0]
    assert isinstance(_chart([], "STSong-Light"), Paragraph)
    long = [(date(2019, 1, 7) + timedelta(weeks=i), Decimal(i)) for i in range(30)]
    drawing = _chart(long, "STSong-Light")
    bars = drawing.contents[0]
    labels = [n for n in bars.categoryAxis.categoryNames if n]
    assert len(labels) <= 12 and bars.valueAxis.valueMax == 30 and bars.categoryAxis.labels.angle == 30


@NEEDS_PDFTOTEXT
def test_download_from_the_page_and_the_api_is_scoped(
    world: Any, summed: Any, api_as: Any, tmp_path: Any
) -> None:
    east = Client()
    east.force_login(world.east_officer)
    assert (
        "/app/reports/campaigns/chunyun-2019/summary.pdf"
        in east.get("/app/campaigns/chunyun-2019/").content.decode()
    )
    r = east.get("/app/reports/campaigns/chunyun-2019/summary.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "活动综述" in pdf_text(r.content, tmp_path)
    api = api_as(world.east_officer).get("/campaigns/chunyun-2019/summary.pdf")
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    other = MembershipFactory(
        organization=OrganizationFactory(name="外市文明办", kind=Kind.OFFICE), role=Role.OFFICER
    ).user
    assert api_as(other).get("/campaigns/chunyun-2019/summary.pdf").status_code == 404
    c = Client()
    c.force_login(other)
    assert c.get("/app/reports/campaigns/chunyun-2019/summary.pdf").status_code == 404
    assert api_as(world.east_officer).get("/campaigns/no-such/summary.pdf").status_code == 404
