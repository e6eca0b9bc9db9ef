"""Submitting, reviewing and publishing reports: the services, with drafts pre-filled from data."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.people_helpers import bulk_volunteers
from tests.test_reporting_fixtures import (
    absolute,
    after_duty,
    bj,
    campaign,
    daily,
    duty,
    liaison,
    rule,
    weekly,
)
from zhiyuan.campaigns.models import Incident, ServiceGiven, Shift, Station, StationLink
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.hours.services.ledger import ledger_append
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import AppendOnly, DeadlineKind, Form, Submission
from zhiyuan.reporting.services.files import submission_file_add
from zhiyuan.reporting.services.reviews import (
    submission_accept,
    submission_return,
)
from zhiyuan.reporting.services.submissions import submission_open, submission_save_draft, submission_submit

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def png(name: str = "p.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def plan(world: Any) -> Any:
    c = campaign(world.city)
    return absolute(c, bj(2019, 1, 23, 12), applies_to=world.city, kinds=[Kind.TEAM], title="活动方案")


def test_submit_on_time_then_late_revision_keeps_first_verdict(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    assert s.status == Submission.Status.DRAFT and s.due_at == bj(2019, 1, 23, 12)
    s = submission_submit(by=me, submission=s, text="方案正文", now=bj(2019, 1, 23, 11, 59))
    assert (s.status, s.on_time, s.late_by, s.revision_count) == ("submitted", True, timedelta(0), 1)
    officer = world.east_officer
    s = submission_return(by=officer, submission=s, comment="请补充站点安排")
    assert s.status == Submission.Status.RETURNED and s.review_comment == "请补充站点安排"
    s = submission_submit(by=me, submission=s, text="方案正文（修改）", now=bj(2019, 1, 24, 9))
    assert s.on_time is True and s.revision_count == 2
    assert [(r.number, r.text, r.late_by) for r in s.revisions.order_by("number")] == [
        (1, "方案正文", timedelta(0)),
        (2, "方案正文（修改）", timedelta(hours=21)),
    ]
    with pytest.raises(AppendOnly):
        s.revisions.first().save()


def test_late_submission_records_by_how_much(world: Any, plan: Any) -> None:
    me = liaison(world.east_team, Role.REPORTER)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    s = submission_submit(by=me, submission=s, text="迟到的方案", now=bj(2019, 1, 23, 15, 30))
    assert s.on_time is False and s.late_by == timedelta(hours=3, minutes=30)


def test_second_open_returns_the_same_report_never_a_second_row(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    first = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    again = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    assert first.pk == again.pk and Submission.objects.count() == 1


def test_no_edits_after_acceptance(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    s = submission_submit(by=me, submission=s, text="正文")
    with pytest.raises(Refused):
        submission_save_draft(by=me, submission=s, text="审核中改动")
    submission_accept(by=world.east_officer, submission=s)
    with pytest.raises(Refused):
        submission_save_draft(by=me, submission=s, text="采用后改动")
    with pytest.raises(Refused):
        submission_submit(by=me, submission=s, text="采用后再交")
    with pytest.raises(Refused):
        submission_file_add(by=me, submission=s, upload=png())
    s.refresh_from_db()
    assert s.text == "正文"


def test_only_the_units_reporters_may_submit(world: Any, plan: Any) -> None:
    member = liaison(world.east_team, Role.MEMBER)
    with pytest.raises(access.PermissionDenied):
        submission_open(by=member, rule=plan, organization=world.east_team, period="once")
    other = liaison(world.west_team)
    with pytest.raises(access.PermissionDenied):
        submission_open(by=other, rule=plan, organization=world.east_team, period="once")
    for role in (Role.LIAISON, Role.REPORTER, Role.PERSON_IN_CHARGE, Role.LEADER_IN_CHARGE):
        submission_open(
            by=liaison(world.east_team, role), rule=plan, organization=world.east_team, period="once"
        )


def test_a_unit_the_rule_does_not_reach_or_a_period_it_never_asks_for_is_refused(
    world: Any, plan: Any
) -> None:
    with pytest.raises(Refused):
        submission_open(
            by=world.east_officer, rule=plan, organization=world.east, period="once"
        )  # an office, not a team
    with pytest.raises(Refused):
        submission_open(
            by=liaison(world.east_team), rule=plan, organization=world.east_team, period="2019-01-23"
        )


def test_reviewers_are_the_office_above_never_the_unit_itself(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    s = submission_submit(
        by=me,
        submission=submission_open(by=me, rule=plan, organization=world.east_team, period="once"),
        text="x",
    )
    with pytest.raises(access.PermissionDenied):
        submission_accept(by=me, submission=s)
    with pytest.raises(access.PermissionDenied):
        submission_accept(by=world.west_officer, submission=s)
    r = absolute(
        plan.campaign, bj(2019, 1, 23, 12), applies_to=world.city, kinds=[Kind.OFFICE], title="区方案"
    )
    own = submission_submit(
        by=world.east_officer,
        submission=submission_open(by=world.east_officer, rule=r, organization=world.east, period="once"),
        text="区文明办方案",
    )
    with pytest.raises(access.PermissionDenied):  # the 区文明办 does not review its own report
        submission_accept(by=world.east_officer, submission=own)
    assert submission_accept(by=world.admin, submission=own).status == "accepted"


def test_return_needs_a_comment(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    s = submission_submit(
        by=me,
        submission=submission_open(by=me, rule=plan, organization=world.east_team, period="once"),
        text="x",
    )
    with pytest.raises(ValidationError) as exc:
        submission_return(by=world.east_officer, submission=s, comment="  ")
    assert "comment" in exc.value.message_dict


def test_weekly_summary_requires_next_weeks_plan_and_photos(world: Any) -> None:
    c = campaign(world.city, "five", date(2019, 7, 26), date(2019, 12, 31))
    r = weekly(c, applies_to=world.east, kinds=[Kind.TEAM], photos_required=True)
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=r, organization=world.east_team, period="2019-W32")
    with pytest.raises(ValidationError) as exc:
        submission_submit(
            by=me,
            submission=s,
            fields={"summary": "本周开展了活动", "next_week_plan": ""},
            now=bj(2019, 8, 9, 14),
        )
    assert set(exc.value.message_dict) == {"next_week_plan", "files"}
    assert Submission.objects.get(pk=s.pk).revision_count == 0
    submission_file_add(by=me, submission=s, upload=png(), caption="东广场")
    s = submission_submit(
        by=me,
        submission=s,
        fields={"summary": "本周开展了活动", "next_week_plan": "下周继续"},
        now=bj(2019, 8, 9, 14),
    )
    assert s.on_time is True and s.due_at == bj(2019, 8, 9, 15)


def test_structured_fields_report_every_bad_field_at_once(world: Any) -> None:
    c = campaign(world.city)
    r = absolute(
        c, bj(2019, 1, 23, 12), applies_to=world.city, kinds=[Kind.TEAM], form=Form.TICKETS, title="赠票"
    )
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=r, organization=world.east_team, period="once")
    with pytest.raises(ValidationError) as exc:
        submission_submit(
            by=me, submission=s, fields={"quantity": "很多", "nonsense": "x", "donor": "市动物园"}
        )
    assert set(exc.value.message_dict) == {"quantity", "nonsense", "claim_time", "claim_place", "contact"}
    s = submission_submit(
        by=me,
        submission=s,
        fields={
            "donor": "市动物园",
            "quantity": "200",
            "claim_time": "1月25日",
            "claim_place": "动物园北门",
            "contact": "李某",
        },
    )
    assert s.fields["quantity"] == 200


def test_any_time_reports_get_a_new_period_each_time(world: Any) -> None:
    c = campaign(world.city)
    r = rule(
        c,
        deadline_kind=DeadlineKind.ANY_TIME,
        form=Form.DYNAMIC_INFO,
        applies_to=world.city,
        kinds=[Kind.TEAM],
        title="动态信息",
    )
    me = liaison(world.east_team)
    now = bj(2019, 1, 25, 10)
    a = submission_open(by=me, rule=r, organization=world.east_team, now=now)
    b = submission_open(by=me, rule=r, organization=world.east_team, now=now)
    assert (a.period, b.period) == ("2019-01-25-1", "2019-01-25-2") and a.due_at is None
    s = submission_submit(by=me, submission=a, text="今天东广场服务旅客300人次")
    assert s.on_time is None and s.late_by is None


def test_activity_report_prefills_attachment_4_from_the_duty(world: Any) -> None:
    c = campaign(world.city)
    r = after_duty(c, photos_required=True)
    station = Station.objects.create(
        campaign=c, name="东广场站", place="郑州火车站", sub_location="东广场", responsible_office=world.east
    )
    d = duty(
        c,
        world.east_team,
        date(2019, 1, 26),
        station=station,
        content="为旅客提供热水",
        responsible_label="青年志愿服务队（团市委）",
    )
    Shift.objects.create(
        organization=world.east_team,
        campaign=c,
        duty=d,
        title="上午",
        starts_at=bj(2019, 1, 26, 9),
        ends_at=bj(2019, 1, 26, 12),
        capacity=5,
    )
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=r, organization=world.east_team, period=f"duty-{d.pk}")
    assert s.fields == {
        "organizer": "青年志愿服务队（团市委）",
        "activity_time": "2019-01-26 09:00–12:00",
        "place": "郑州火车站东广场",
        "content": "为旅客提供热水",
    }
    assert s.due_at == bj(2019, 1, 27, 12) and s.duty_id == d.pk
    with pytest.raises(Refused):  # another unit's duty
        submission_open(
            by=liaison(world.west_team), rule=r, organization=world.west_team, period=f"duty-{d.pk}"
        )


def _day_of_data(world: Any, c: Any) -> Station:
    station = Station.objects.create(
        campaign=c, name="东广场站", place="郑州火车站", responsible_office=world.west
    )
    StationLink.objects.create(station=station, team=world.east_team)
    duty(c, world.east_team, date(2019, 1, 24), status="done", content="文明引导")
    duty(c, world.east_team, date(2019, 1, 24), status="cancelled", place="火车东站")
    duty(c, world.west_team, date(2019, 1, 24), status="done")  # another subtree
    Shift.objects.create(
        organization=world.east_team,
        campaign=c,
        title="早班",
        starts_at=bj(2019, 1, 24, 8),
        ends_at=bj(2019, 1, 24, 12),
        capacity=6,
        minimum=4,
        accepted_count=3,
    )
    ServiceGiven.objects.create(
        station=station, day=date(2019, 1, 24), service="hot_water", count=120, recorded_by=world.admin
    )
    ServiceGiven.objects.create(
        station=station, day=date(2019, 1, 23), service="hot_water", count=99, recorded_by=world.admin
    )
    out = BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "JPEG")
    incident = Incident(
        station=station, kind="旅客晕倒", description="一名旅客晕倒，已送医", reported_by=world.admin
    )
    incident.photo.save("i.jpg", SimpleUploadedFile("i.jpg", out.getvalue()), save=False)
    incident.save()
    Incident.objects.filter(pk=incident.pk).update(created_at=bj(2019, 1, 24, 10))
    for v in bulk_volunteers(world.east, 2, prefix="简报"):
        ledger_append(
            volunteer=v,
            organization=world.east_team,
            activity="东广场",
            starts_at=bj(2019, 1, 24, 8),
            ends_at=bj(2019, 1, 24, 11, 30),
            source="bulk",
            by=world.east_officer,
            late_allowed=True,
        )
    return station


def test_daily_brief_starts_from_the_days_data(world: Any) -> None:
    c = campaign(world.city)
    _day_of_data(world, c)
    r = daily(c, applies_to=world.east, kinds=[Kind.TEAM])
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=r, organization=world.east_team, period="2019-01-24")
    text = s.text
    assert "完成 1 场，取消或顺延 1 场" in text
    assert "班次：1 个，需 6 人，已报名 3 人；1 个班次未达最少人数" in text
    assert "参与志愿者 2 人，服务时长 7.0 小时" in text
    assert "热水 120 人次" in text and "99" not in text
    assert "旅客晕倒" in text
    photos = list(s.files.all())
    assert len(photos) == 1 and photos[0].source.startswith("incident-") and photos[0].kind == "photo"
    # the liaison edits the text and submits it
    s = submission_submit(by=me, submission=s, text=text + "\n补充：天气寒冷。", now=bj(2019, 1, 24, 15))
    assert s.on_time is True


def test_weekly_summary_starts_from_the_weeks_data_and_next_weeks_duties(world: Any) -> None:
    c = campaign(world.city)
    _day_of_data(world, c)
    duty(c, world.east_team, date(2019, 2, 1), place="航空港候机楼", content="送春联")
    r = weekly(c, applies_to=world.east, kinds=[Kind.TEAM])
    s = submission_open(by=liaison(world.east_team), rule=r, organization=world.east_team, period="2019-W04")
    assert "2019-01-21 至 2019-01-27" in s.fields["summary"] and "热水 219 人次" in s.fields["summary"]
    assert "航空港候机楼 送春联" in s.fields["next_week_plan"]


def test_a_spring_festival_day_is_no_brief_day_whenever_it_is_asked(world: Any) -> None:
    r = daily(campaign(world.city), applies_to=world.east, kinds=[Kind.TEAM])
    me = liaison(world.east_team)
    with pytest.raises(Refused):
        submission_open(by=me, rule=r, organization=world.east_team, period="2019-02-05")  # 正月初一
    assert submission_open(by=me, rule=r, organization=world.east_team, period="2019-02-02").due_at == bj(
        2019, 2, 2, 15, 30
    )
