"""班次 / 报名 / 候补 / 换班: a full shift waits in order and moves up on a cancellation, the rules refuse with
a reason (clash, cut-off, minors, training, skills), swaps need a leader, weekly shifts are generated once."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup, Station, SwapRequest
from zhiyuan.campaigns.selectors import shifts as selectors
from zhiyuan.campaigns.services import recurring_shifts as recurring
from zhiyuan.campaigns.services import shifts as services
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import Holiday
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Skill, TrainingCompletion, TrainingCourse, Volunteer

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = Signup.Status


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """Beijing wall-clock time `days` from today."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute), tzinfo=SHANGHAI)


def team_volunteers(team: Organization, home: Organization, count: int, start: int, prefix: str = "班次"):
    """Adult volunteers who are members of `team`, so they see its shifts."""
    volunteers = bulk_volunteers(home, count, start=start, prefix=prefix)
    Membership.objects.bulk_create(
        [Membership(user_id=v.user_id, organization=team, role=Role.VOLUNTEER) for v in volunteers]
    )
    return volunteers


def make_shift(by: Any, organization: Organization, days: int = 3, hours=(9, 12), **overrides) -> Shift:
    data: dict[str, Any] = dict(
        organization=organization,
        title="东广场引导",
        starts_at=at(days, hours[0]),
        ends_at=at(days, hours[1]),
        capacity=2,
    )
    data.update(overrides)
    return services.shift_create(by=by, **data)


def sign(volunteer: Volunteer, shift: Shift) -> Signup:
    return services.signup_create(by=volunteer.user, shift=shift, volunteer=volunteer)


def statuses(shift: Shift) -> list[tuple[str, str, int | None]]:
    """(volunteer number, status, waiting-list place) in roster order."""
    return [(s.volunteer.number, s.status, s.position) for s in selectors.roster(shift=shift)]


@dataclass
class Rota:
    """The east team's 队长, six adult volunteers of the team and the 郑东新区 station at 郑州东站."""

    station: Station
    leader: Any
    volunteers: list[Volunteer]


@pytest.fixture
def rota(world) -> Rota:
    station = Station.objects.create(
        name="郑州东站东广场志愿服务站",
        place="郑州东站",
        sub_location="东广场",
        responsible_office=world.east,
    )
    leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    return Rota(station, leader, team_volunteers(world.east_team, world.east, 6, start=700))


@pytest.fixture
def shift(world, rota) -> Shift:
    return make_shift(rota.leader, world.east_team, station=rota.station)


# --- laying out shifts ------------------------------------------------------------------------------------


def test_a_team_leader_lays_out_a_shift_at_the_district_station(world, rota):
    # when the east team's 队长 lays out a shift at the station the 郑东新区文明办 runs
    s = make_shift(rota.leader, world.east_team, station=rota.station, minimum=1)
    # then it is there, signed by them, open to the team's volunteers and not to the west
    assert (s.station, s.accepted_count, s.cutoff_hours) == (rota.station, 0, 12)
    assert s.history.first().history_user == rota.leader
    assert selectors.shift_visible_to(user=rota.volunteers[0].user, shift=s)
    assert not selectors.shift_visible_to(user=world.west_officer, shift=s)


def test_every_problem_with_a_shift_is_reported_at_once(world, rota):
    west_station = Station.objects.create(name="碧沙岗站", place="碧沙岗公园", responsible_office=world.west)
    with pytest.raises(ValidationError) as exc:
        make_shift(
            rota.leader,
            world.east_team,
            title=" ",
            station=west_station,
            starts_at=at(-1, 9),
            ends_at=at(-1, 8),
            capacity=0,
            minimum=-1,
            cutoff_hours=1000,
        )
    errors = exc.value.message_dict
    assert set(errors) == {"title", "station", "starts_at", "ends_at", "capacity", "minimum", "cutoff_hours"}
    assert errors["ends_at"] == ["结束时间须晚于开始时间。"] and errors["station"] == ["所选站点不存在。"]
    assert not Shift.objects.exists()


def test_a_west_shift_is_not_the_east_leaders_to_lay_out(world, rota):
    with pytest.raises(ValidationError) as exc:
        make_shift(rota.leader, world.west_team)
    assert exc.value.message_dict == {"organization": ["所选组织不存在或您无权为其安排班次。"]}
    # a volunteer sees their team but may not lay out its shifts: 403, not a form error
    with pytest.raises(access.PermissionDenied):
        make_shift(rota.volunteers[0].user, world.east_team)


# --- signing up and the waiting list ----------------------------------------------------------------------


def test_a_full_shift_puts_the_next_volunteers_on_the_waiting_list_in_order(rota, shift):
    # given a shift with two places and four volunteers signing up one after the other
    a, b, c, d = rota.volunteers[:4]
    signups = [sign(v, shift) for v in (a, b, c, d)]
    # then two take the places and two wait, in the order they came
    assert [s.status for s in signups] == [S.ACCEPTED, S.ACCEPTED, S.WAITLISTED, S.WAITLISTED]
    assert statuses(shift) == [
        (a.number, S.ACCEPTED, None),
        (b.number, S.ACCEPTED, None),
        (c.number, S.WAITLISTED, 1),
        (d.number, S.WAITLISTED, 2),
    ]
    assert Shift.objects.get(pk=shift.pk).accepted_count == 2


def test_the_waiting_list_moves_up_in_order_on_each_cancellation(rota, shift):
    a, b, c, d, e = rota.volunteers[:5]
    signups = {v.number: sign(v, shift) for v in (a, b, c, d, e)}
    # when the first volunteer cancels, the first on the waiting list takes the place
    services.signup_cancel(by=a.user, signup=signups[a.number])
    assert statuses(shift) == [
        (b.number, S.ACCEPTED, None),
        (c.number, S.ACCEPTED, None),
        (d.number, S.WAITLISTED, 1),
        (e.number, S.WAITLISTED, 2),
    ]
    # and when a leader takes another off, the next one moves up
    services.signup_cancel(by=rota.leader, signup=signups[b.number])
    assert [row[:2] for row in statuses(shift)] == [
        (c.number, S.ACCEPTED),
        (d.number, S.ACCEPTED),
        (e.number, S.WAITLISTED),
    ]
    assert Shift.objects.get(pk=shift.pk).accepted_count == 2
    promoted = Signup.objects.get(pk=signups[d.number].pk).history.first()
    assert (promoted.history_change_reason, promoted.history_user) == ("候补递补", rota.leader)


def test_promotion_skips_someone_who_meanwhile_took_an_overlapping_shift(world, rota, shift):
    # given a full shift and two on its waiting list, the first of whom then takes a clashing shift
    a, b, c, d = rota.volunteers[:4]
    first = sign(a, shift)
    sign(b, shift)
    sign(c, shift)
    sign(d, shift)
    clash = make_shift(rota.leader, world.east_team, hours=(11, 13), title="进站口验票协助")
    assert sign(c, clash).status == S.ACCEPTED
    # when a place frees up, it goes to the next who may take it; the first keeps their place in line
    services.signup_cancel(by=a.user, signup=first)
    assert [row[:2] for row in statuses(shift)] == [
        (b.number, S.ACCEPTED),
        (d.number, S.ACCEPTED),
        (c.number, S.WAITLISTED),
    ]


def test_more_places_move_the_waiting_list_up_and_fewer_than_taken_are_refused(rota, shift):
    for v in rota.volunteers[:4]:
        sign(v, shift)
    services.shift_update(by=rota.leader, shift=shift, capacity=3)
    assert Shift.objects.get(pk=shift.pk).accepted_count == 3
    with pytest.raises(ValidationError) as exc:
        services.shift_update(by=rota.leader, shift=shift, capacity=1)
    assert exc.value.message_dict == {"capacity": ["已有3人报名，名额不能少于已报名人数。"]}


def test_signing_up_twice_is_refused_but_after_cancelling_one_may_come_back(rota, shift):
    v = rota.volunteers[0]
    first = sign(v, shift)
    with pytest.raises(Refused, match="已报名本班次（已报名）"):
        sign(v, shift)
    services.signup_cancel(by=v.user, signup=first)
    again = sign(v, shift)
    assert again.pk != first.pk and again.status == S.ACCEPTED


# --- the rules, each refused with its reason --------------------------------------------------------------


def test_overlapping_shifts_for_one_volunteer_are_refused(world, rota, shift):
    v = rota.volunteers[0]
    sign(v, shift)
    later = make_shift(rota.leader, world.east_team, hours=(11, 14), title="出站口引导")
    with pytest.raises(Refused) as exc:
        sign(v, later)
    assert str(exc.value) == f"与已报名的班次“东广场引导”（{at(3, 9):%m-%d} 09:00）时间冲突。"
    # back to back is no clash
    assert sign(v, make_shift(rota.leader, world.east_team, hours=(12, 14))).status == S.ACCEPTED


def test_sign_ups_after_the_cutoff_are_refused_but_a_leader_may_still_assign(world, rota):
    soon = services.shift_create(
        by=rota.leader,
        organization=world.east_team,
        title="晚高峰",
        starts_at=timezone.now() + timedelta(hours=6),
        ends_at=timezone.now() + timedelta(hours=9),
        capacity=3,
        cutoff_hours=12,
    )
    v, w = rota.volunteers[:2]
    with pytest.raises(Refused, match="报名已截止：班次开始前12小时内不能报名。"):
        sign(v, soon)
    assigned = services.signup_create(by=rota.leader, shift=soon, volunteer=v)
    assert (assigned.status, assigned.assigned_by) == (S.ACCEPTED, rota.leader)
    # and cancelling one's own place is past its cut-off too; the leader may still do it
    with pytest.raises(Refused, match="已过取消截止时间"):
        services.signup_cancel(by=v.user, signup=assigned)
    services.signup_cancel(by=rota.leader, signup=assigned)
    # once it has started, nobody signs up, not even through the leader
    Shift.objects.filter(pk=soon.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(Refused, match="班次已开始"):
        services.signup_create(by=rota.leader, shift=soon, volunteer=w)


def test_minors_are_refused_where_the_shift_excludes_them(world, rota, shift):
    # given a 16-year-old, and one who turns 18 the day before the shift
    young, almost = rota.volunteers[:2]
    shift_day = timezone.localtime(shift.starts_at).date()
    Volunteer.objects.filter(pk=young.pk).update(birth_date=shift_day.replace(year=shift_day.year - 16))
    Volunteer.objects.filter(pk=almost.pk).update(
        birth_date=(shift_day - timedelta(days=1)).replace(year=shift_day.year - 18)
    )
    young.refresh_from_db()
    with pytest.raises(Refused, match="本班次不接受未成年人（未满18周岁）报名。"):
        sign(young, shift)
    assert sign(almost, shift).status == S.ACCEPTED  # an adult on the day of the shift
    open_to_all = make_shift(rota.leader, world.east_team, days=4, minors_allowed=True)
    assert sign(young, open_to_all).status == S.ACCEPTED


def test_missing_training_and_skills_are_refused_with_their_names(world, rota):
    # given 《培训手册》 required for the east office, a first-aid course and the medical skill for this shift
    handbook = TrainingCourse.objects.create(
        name="《培训手册》", content="礼仪", hours=Decimal(2), organizer=world.east, date=date(2019, 1, 15)
    )
    handbook.required_for.add(world.east)
    first_aid = TrainingCourse.objects.create(
        name="急救培训",
        content="心肺复苏",
        hours=Decimal(3),
        organizer=world.east_team,
        date=date(2019, 1, 16),
    )
    medical = Skill.objects.get(code="medical")
    s = make_shift(
        rota.leader, world.east_team, required_courses=[first_aid], required_skills=[medical], title="医疗点"
    )
    v = rota.volunteers[0]
    with pytest.raises(Refused) as exc:
        sign(v, s)
    assert str(exc.value) == f"本班次需要以下技能：{medical.name}；须先完成培训：《培训手册》、急救培训。"
    # when they complete both and add the skill, they are in
    for course in (handbook, first_aid):
        TrainingCompletion.objects.create(course=course, volunteer=v, completed_on=date(2019, 1, 20))
    v.skills.add(medical)
    assert sign(v, s).status == S.ACCEPTED


def test_anonymised_volunteers_cannot_sign_up(rota, shift):
    v = rota.volunteers[0]
    Volunteer.objects.filter(pk=v.pk).update(status=Volunteer.Status.ANONYMISED)
    v.refresh_from_db()
    with pytest.raises(Refused, match="匿名化"):
        sign(v, shift)


def test_only_leaders_put_someone_else_on_a_shift_or_take_them_off(world, rota, shift):
    a, b = rota.volunteers[:2]
    with pytest.raises(access.PermissionDenied):
        services.signup_create(by=a.user, shift=shift, volunteer=b)
    grid_head = MembershipFactory(organization=world.east, role=Role.GRID_HEAD).user  # sees, may not assign
    with pytest.raises(access.PermissionDenied):
        services.signup_create(by=grid_head, shift=shift, volunteer=b)
    mine = sign(b, shift)
    with pytest.raises(access.PermissionDenied):
        services.signup_cancel(by=a.user, signup=mine)
    assert services.signup_create(by=rota.leader, shift=shift, volunteer=a).assigned_by == rota.leader


# --- swaps ------------------------------------------------------------------------------------------------


def test_a_swap_hands_the_place_over_when_the_leader_approves(rota, shift):
    a, b = rota.volunteers[:2]
    signup = sign(a, shift)
    swap = services.swap_request_create(by=a.user, signup=signup, to_volunteer=b, reason="家中有事")
    assert swap.status == SwapRequest.Status.PENDING
    services.swap_decide(by=rota.leader, swap=swap, approve=True)
    assert [row[:2] for row in statuses(shift)] == [(b.number, S.ACCEPTED)]
    assert Shift.objects.get(pk=shift.pk).accepted_count == 1
    taken = Signup.objects.get(volunteer=b)
    assert (taken.assigned_by, taken.history.first().history_change_reason) == (
        rota.leader,
        f"换班接替{a.number}",
    )
    assert SwapRequest.objects.get().decided_by == rota.leader


def test_a_swap_is_checked_again_when_the_leader_decides(world, rota, shift):
    a, b = rota.volunteers[:2]
    swap = services.swap_request_create(by=a.user, signup=sign(a, shift), to_volunteer=b)
    # meanwhile the volunteer named took a clashing shift
    sign(b, make_shift(rota.leader, world.east_team, hours=(10, 11), title="问询台"))
    with pytest.raises(Refused, match=f"^{b.user.display_name}不能接替：与已报名的班次"):
        services.swap_decide(by=rota.leader, swap=swap, approve=True)
    assert SwapRequest.objects.get().status == SwapRequest.Status.PENDING
    with pytest.raises(ValidationError) as exc:
        services.swap_decide(by=rota.leader, swap=swap, approve=False)
    assert exc.value.message_dict == {"reason": ["不同意时请填写原因。"]}
    services.swap_decide(by=rota.leader, swap=swap, approve=False, reason="时间冲突")
    assert SwapRequest.objects.get().status == SwapRequest.Status.REJECTED


def test_swap_requests_the_rules_refuse(world, rota, shift):
    a, b, c = rota.volunteers[:3]
    signup = sign(a, shift)
    with pytest.raises(ValidationError, match="不能和自己换班"):
        services.swap_request_create(by=a.user, signup=signup, to_volunteer=a)
    westerner = team_volunteers(world.west_team, world.west, 1, start=790, prefix="西")[0]
    with pytest.raises(ValidationError, match="不在本班次所属队伍"):
        services.swap_request_create(by=a.user, signup=signup, to_volunteer=westerner)
    with pytest.raises(access.PermissionDenied):
        services.swap_request_create(by=b.user, signup=signup, to_volunteer=b)
    sign(b, shift)
    waiting = sign(c, shift)
    with pytest.raises(Refused, match="只有已报名"):
        services.swap_request_create(by=c.user, signup=waiting, to_volunteer=a)
    services.swap_request_create(by=a.user, signup=signup, to_volunteer=rota.volunteers[3])
    with pytest.raises(Refused, match="已有待审批"):
        services.swap_request_create(by=a.user, signup=signup, to_volunteer=rota.volunteers[4])
    # and cancelling the place withdraws the pending request
    services.signup_cancel(by=a.user, signup=signup)
    assert SwapRequest.objects.get().status == SwapRequest.Status.REJECTED
    with pytest.raises(access.PermissionDenied):
        services.swap_decide(by=a.user, swap=SwapRequest.objects.get(), approve=True)


# --- weekly shifts ----------------------------------------------------------------------------------------


def test_weekly_shifts_are_generated_once_on_their_days_skipping_rest_days(world, rota):
    # given seed 001's rhythm: every Saturday 9:00-14:00 for five weeks, one of them an official rest day
    today = timezone.localdate()
    first_saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    saturdays = [first_saturday + timedelta(weeks=i) for i in range(5)]
    Holiday.objects.create(day=saturdays[2], name="测试假日", is_rest_day=True)
    pattern = recurring.recurring_create(
        by=rota.leader,
        organization=world.east_team,
        station=rota.station,
        title="五小时志愿服务",
        weekdays=[6],
        start_time=time(9),
        end_time=time(14),
        valid_from=today + timedelta(days=1),  # on a Saturday (Beijing) today is not among the five
        valid_until=saturdays[-1],
        capacity=5,
    )
    made = recurring.recurring_generate(by=rota.leader, recurring=pattern)
    # then one shift per Saturday but the rest day, at 9:00 Beijing time, signed by the leader
    days = [timezone.localtime(s.starts_at) for s in made]
    assert [d.date() for d in days] == [d for d in saturdays if d != saturdays[2]]
    assert {(d.hour, d.tzname()) for d in days} == {(9, "CST")}
    assert Shift.history.filter(recurrence_id=pattern.pk).first().history_user == rota.leader
    # and generating again adds nothing, unless told to fill the rest day too
    assert recurring.recurring_generate(by=rota.leader, recurring=pattern) == []
    extra = recurring.recurring_generate(by=rota.leader, recurring=pattern, skip_holidays=False)
    assert [timezone.localdate(s.starts_at) for s in extra] == [saturdays[2]]
    assert Shift.objects.filter(recurrence=pattern).count() == 5


def test_a_weekly_pattern_reports_every_problem_at_once(world, rota):
    with pytest.raises(ValidationError) as exc:
        recurring.recurring_create(
            by=rota.leader,
            organization=world.west_team,
            title="",
            weekdays=[0, 8],
            start_time=time(14),
            end_time=time(9),
            valid_from=date(2027, 3, 1),
            valid_until=date(2027, 2, 1),
            capacity=0,
        )
    assert set(exc.value.message_dict) == {
        "organization",
        "title",
        "weekdays",
        "end_time",
        "valid_until",
        "capacity",
    }
    with pytest.raises(access.PermissionDenied):
        recurring.recurring_generate(
            by=world.west_officer,
            recurring=recurring.recurring_create(
                by=rota.leader,
                organization=world.east_team,
                title="周末",
                weekdays=[6, 7],
                start_time=time(9),
                end_time=time(12),
                valid_from=date(2027, 3, 1),
                valid_until=date(2027, 3, 31),
                capacity=3,
            ),
        )
