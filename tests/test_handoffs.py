"""The hand-off table walked (issue 15 item 1): every row of notifications.handoffs.TABLE has a scenario
here that performs the real action as the person who acts; then exactly the people concerned have exactly
one message of that event, its link opens for them, and the e-mail and SMS carry that link absolute."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import bulk_volunteers
from tests.test_ledger import _at, credit
from tests.test_outreach_helpers import venue
from tests.test_recruitment import apply, published
from tests.test_reporting_fixtures import absolute, bj, campaign, liaison
from tests.test_shifts import at, make_shift, sign, team_volunteers
from tests.test_stations import leader_of, make_station, member_of
from zhiyuan.campaigns.models import Campaign, Signup
from zhiyuan.campaigns.services import duties, emergency, shifts
from zhiyuan.campaigns.services.rotation import RotationSpec, rotation_plan, rotation_write
from zhiyuan.community.services.help import help_request_file
from zhiyuan.core import sms
from zhiyuan.core.site import absolute_url
from zhiyuan.hours.services.corrections import correction_decide, correction_request
from zhiyuan.hours.services.self_reports import self_report_create, self_report_decide
from zhiyuan.notifications import deliveries
from zhiyuan.notifications.handoffs import HANDOFFS, TABLE
from zhiyuan.notifications.jobs import staffing
from zhiyuan.notifications.models import Delivery, Notification
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.outreach.services.venues import reservation_create, reservation_decide
from zhiyuan.people.models import TrainingCourse
from zhiyuan.reporting.services import reviews
from zhiyuan.reporting.services.submissions import submission_open, submission_submit

SITE = "https://zhiyuan.example.cn"
Scenario = Callable[[Any], tuple[Callable[[], Any], list[Any]]]


@pytest.fixture(autouse=True)
def _site(settings: Any, tmp_path: Any) -> None:
    settings.ZHIYUAN_SITE_URL = SITE
    settings.MEDIA_ROOT = str(tmp_path)
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


def with_contact(user: Any) -> Any:
    user.email = f"u{user.pk}@example.cn"
    user.mobile = f"1370000{user.pk:04d}"
    user.save(update_fields=["email", "mobile"])
    return user


# --- reports ----------------------------------------------------------------------------------------------


def _report(w: Any, submit: bool = True) -> tuple[Any, Any]:
    rule = absolute(campaign(w.city), bj(2099, 1, 23, 12), applies_to=w.city, kinds=[Kind.TEAM], title="方案")
    me = liaison(w.east_team)
    s = submission_open(by=me, rule=rule, organization=w.east_team, period="once")
    if submit:
        s = submission_submit(by=me, submission=s, text="春运志愿服务方案全文")
    return s, me


def report_submitted(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    s, me = _report(w, submit=False)
    return lambda: submission_submit(by=me, submission=s, text="方案全文"), [w.east_officer]


def report_returned(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    s, me = _report(w)
    return lambda: reviews.submission_return(by=w.east_officer, submission=s, comment="请补充时间安排"), [me]


def report_accepted(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    s, me = _report(w)
    return lambda: reviews.submission_accept(by=w.east_officer, submission=s), [me]


def report_selected(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    s, me = _report(w)
    reviews.submission_accept(by=w.east_officer, submission=s)
    return lambda: reviews.submission_select(by=w.east_officer, submission=s), [me]


def report_published(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    s, me = _report(w)
    reviews.submission_accept(by=w.east_officer, submission=s)
    publish = lambda: reviews.submission_publish(  # noqa: E731
        by=w.east_officer, submission=s, title="东站志愿者在行动", text="引导旅客", photo_ids=[]
    )
    return publish, [me]


# --- recruitment and training -----------------------------------------------------------------------------


def application_decided(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    notice = published(w.east_officer, w.east_team)
    v = bulk_volunteers(w.east, 1, start=900, prefix="报名")[0]
    app = apply(v, notice)
    from zhiyuan.people.services.recruitment import application_decide

    return lambda: application_decide(by=w.east_officer, application=app, approve=True), [v.user]


def _rota(w: Any) -> tuple[Any, Any, list[Any]]:
    station = make_station(w)
    leader = leader_of(w.east_team)
    return station, leader, team_volunteers(w.east_team, w.east, 3, start=800)


def training_required(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station, leader, vs = _rota(w)
    s = make_shift(leader, w.east_team, days=2, station=station)
    sign(vs[0], s)
    # a course made required for the team after the volunteer booked
    course = TrainingCourse.objects.create(
        organizer=w.east, name="岗前安全培训", content="安全", hours=Decimal(2), date=timezone.localdate()
    )
    course.required_for.add(w.east_team)
    return lambda: staffing.training_required(), [vs[0].user]


# --- shifts -----------------------------------------------------------------------------------------------


def shift_assigned(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station, leader, vs = _rota(w)
    s = make_shift(leader, w.east_team, station=station)
    return lambda: shifts.signup_create(by=leader, shift=s, volunteer=vs[0]), [vs[0].user]


def shift_promoted(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station, leader, vs = _rota(w)
    s = make_shift(leader, w.east_team, station=station, capacity=1)
    first = sign(vs[0], s)
    sign(vs[1], s)  # waits
    return lambda: shifts.signup_cancel(by=vs[0].user, signup=first), [vs[1].user]


def shift_changed(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station, leader, vs = _rota(w)
    s = make_shift(leader, w.east_team, station=station, capacity=1)
    sign(vs[0], s)
    sign(vs[1], s)
    later = lambda: shifts.shift_update(  # noqa: E731
        by=leader, shift=s, starts_at=at(3, 10), ends_at=at(3, 13)
    )
    return later, [vs[0].user, vs[1].user]


def signup_cancelled(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station, leader, vs = _rota(w)
    s = make_shift(leader, w.east_team, station=station)
    booked = sign(vs[0], s)
    return lambda: shifts.signup_cancel(by=leader, signup=booked, reason="人员调整"), [vs[0].user]


def swap_decided(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station, leader, vs = _rota(w)
    s = make_shift(leader, w.east_team, station=station)
    booked = sign(vs[0], s)
    swap = shifts.swap_request_create(by=vs[0].user, signup=booked, to_volunteer=vs[1])
    return lambda: shifts.swap_decide(by=leader, swap=swap, approve=True), [vs[0].user]


def shift_understaffed(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station, leader, vs = _rota(w)
    s = make_shift(leader, w.east_team, station=station, days=0, minimum=2, capacity=3)
    s.starts_at, s.ends_at = timezone.now() + timedelta(hours=30), timezone.now() + timedelta(hours=33)
    s.save(update_fields=["starts_at", "ends_at"])
    sign(vs[0], s)
    return lambda: staffing.shift_understaffed(), [leader]


# --- hours ------------------------------------------------------------------------------------------------


def self_report_decided(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    v = bulk_volunteers(w.east, 1, start=950, prefix="申报")[0]
    MembershipFactory(user=v.user, organization=w.east_team, role=Role.VOLUNTEER)
    r = self_report_create(
        by=v.user, volunteer=v, organization=w.east_team, activity="社区清洁", place="东风路",
        description="清扫楼道", starts_at=_at(1, 8), ends_at=_at(1, 11),
    )  # fmt: skip
    return lambda: self_report_decide(by=w.east_officer, report=r, approve=True), [v.user]


def correction_decided(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    v = bulk_volunteers(w.east, 1, start=960, prefix="更正")[0]
    entry = credit(w, v, _at(2, 8), _at(2, 12))
    req = correction_request(
        by=v.user, entry=entry, reason="11点签退", new_starts_at=_at(2, 8), new_ends_at=_at(2, 11)
    )
    return lambda: correction_decide(by=w.east_officer, correction=req, approve=True), [v.user]


# --- duties, stations, emergencies, help ------------------------------------------------------------------


def duty_filed(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    today = timezone.localdate()
    c = Campaign.objects.create(
        slug="walk", title="春运", organizer=w.city, starts_on=today, ends_on=today + timedelta(days=30)
    )
    city_officer = MembershipFactory(organization=w.city, role=Role.OFFICER).user
    spec = RotationSpec(organizations=[w.east], places=["火车站"], start=today + timedelta(days=1))
    rotation_write(by=None, campaign=c, turns=rotation_plan(spec))
    first = c.duties.order_by("date").first()
    file = lambda: duties.duty_file(by=w.east_officer, duty=first, kind="cancel", reason="严重雾霾")  # noqa: E731
    return file, [city_officer]


def incident_reported(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station = make_station(w)
    leader, reporter = leader_of(w.east_team), member_of(w.east_team)
    report = lambda: emergency.incident_report(  # noqa: E731
        by=reporter, station=station, kind="人员走失", description="一名老人与家人走散"
    )
    return report, [leader, w.east_officer]


def _incident(w: Any) -> tuple[Any, Any, Any]:
    station = make_station(w)
    leader, reporter = leader_of(w.east_team), member_of(w.east_team)
    incident = emergency.incident_report(by=reporter, station=station, kind="走失", description="老人走散")
    return incident, leader, reporter


def incident_escalated(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    incident, leader, _reporter = _incident(w)
    return lambda: emergency.incident_escalate(by=leader, incident=incident), [w.east_officer]


def incident_resolved(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    incident, _leader, reporter = _incident(w)
    resolve = lambda: emergency.incident_resolve(  # noqa: E731
        by=w.east_officer, incident=incident, resolution="已在候车室找到"
    )
    return resolve, [reporter]


def emergency_activated(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station = make_station(w)
    squad = OrganizationFactory(name="应急队", kind=Kind.TEAM, parent=w.east)
    captain = MembershipFactory(organization=squad, role=Role.LEADER).user
    member = MembershipFactory(organization=squad, role=Role.VOLUNTEER).user
    emergency.pairing_set(by=w.east_officer, station=station, team=squad)
    plan = emergency.plan_create(by=w.east_officer, station=station, trigger="大雪", steps="到岗")
    return lambda: emergency.activation_start(by=w.east_officer, plan=plan, reason="京广线晚点"), [
        captain,
        member,
    ]


def help_routed(w: Any) -> tuple[Callable[[], Any], list[Any]]:
    station = make_station(w)
    file = lambda: help_request_file(  # noqa: E731
        kind="other", description="行李太多", phone_number="13812345670", station=station
    )
    return file, [w.east_officer]


SCENARIOS: dict[str, Scenario] = {
    "report.submitted": report_submitted,
    "report.returned": report_returned,
    "report.accepted": report_accepted,
    "report.selected": report_selected,
    "report.published": report_published,
    "application.decided": application_decided,
    "training.required": training_required,
    "shift.assigned": shift_assigned,
    "shift.promoted": shift_promoted,
    "shift.changed": shift_changed,
    "signup.cancelled": signup_cancelled,
    "swap.decided": swap_decided,
    "shift.understaffed": shift_understaffed,
    "self_report.decided": self_report_decided,
    "correction.decided": correction_decided,
    "duty.filed": duty_filed,
    "incident.reported": incident_reported,
    "incident.escalated": incident_escalated,
    "incident.resolved": incident_resolved,
    "emergency.activated": emergency_activated,
    "help.routed": help_routed,
}
PRIVATE = [h.event for h in TABLE if not h.public]


def test_every_row_of_the_table_has_a_scenario() -> None:
    assert sorted(SCENARIOS) == sorted(PRIVATE)


@pytest.mark.parametrize("event", PRIVATE)
def test_the_handoff_tells_exactly_the_people_concerned_with_a_working_absolute_link(
    world: Any, event: str, django_capture_on_commit_callbacks: Any
) -> None:
    # given the situation, with every person reachable by e-mail and SMS
    act, expected = SCENARIOS[event](world)
    for person in expected:
        with_contact(person)
    Notification.objects.all().delete()
    # when the person who acts does it
    with django_capture_on_commit_callbacks(execute=True):
        act()
    # then each person concerned has exactly one message of this event, and nobody else has one
    got = list(Notification.objects.filter(event=event).select_related("user"))
    assert sorted(n.user_id for n in got) == sorted(p.pk for p in expected), event
    for n in got:
        # the link opens for that person
        client = Client()
        client.force_login(n.user)
        assert n.url.startswith("/app/"), n.url
        assert client.get(n.url).status_code == 200, (event, n.url)
        # and what leaves the site carries it absolute
        for delivery in Delivery.objects.filter(notification=n):
            deliveries.send(delivery)
        assert any(absolute_url(n.url) in m.body for m in mail.outbox if m.to == [n.user.email]), event
        if "sms" in HANDOFFS[event].channels:
            texts = [m.text for m in sms.MemoryBackend.outbox if m.mobile == n.user.mobile]
            assert any(absolute_url(n.url) in t for t in texts), (event, texts)
    assert absolute_url("/x/").startswith(SITE)


def test_a_reservation_decision_is_texted_to_the_public_contact(
    world: Any, django_capture_on_commit_callbacks
):
    museum = venue(world)
    r = reservation_create(
        venue=museum, organization_name="某建筑公司项目部", contact_name="赵某", phone="13800138000",
        size=40, visit_date=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        reservation_decide(by=world.east_officer, reservation=r, accept=True)
    queued = DBTaskResult.objects.filter(task_path__endswith="public_sms_send")
    assert queued.count() == 1
    mobile, text = queued.get().args_kwargs["args"]
    assert mobile == "13800138000" and f"{SITE}/venues/reservation/{r.code}/" in text and "已确认" in text


def test_a_swap_approved_also_tells_the_one_who_takes_the_place(world: Any) -> None:
    act, _asker = swap_decided(world)
    act()
    taker = Notification.objects.get(event="shift.assigned")
    assert Signup.objects.filter(volunteer__user=taker.user, status="accepted").exists()


def test_running_a_job_twice_tells_nobody_twice(world: Any) -> None:
    act, expected = shift_understaffed(world)
    act()
    act()
    assert Notification.objects.filter(event="shift.understaffed").count() == len(expected)
