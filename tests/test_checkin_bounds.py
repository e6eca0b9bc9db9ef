"""Time is the server's: a back-dated sign-in earns nothing beyond the shift, an offline queue outside any
booking is held for review, and a day's hours beyond the cap wait for the level above."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.core.access import PermissionDenied
from zhiyuan.hours.models import CheckIn, HoursApproval, LedgerEntry
from zhiyuan.hours.services.checkin import checkin_record, poster_token
from zhiyuan.hours.services.daily_cap import approval_decide
from zhiyuan.hours.services.ledger import verify_all
from zhiyuan.notifications.models import Notification
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Volunteer


def _booked(world, start, length, prefix="边界"):
    shift = Shift.objects.create(
        organization=world.east_team, title="东广场引导", starts_at=start, ends_at=start + length, capacity=10
    )
    volunteer = bulk_volunteers(world.east, 1, prefix=prefix)[0]
    Signup.objects.create(shift=shift, volunteer=volunteer, status="accepted")
    return shift, volunteer


def _post(volunteer, shift, kind, at=None, token=None):
    body = {"key": uuid.uuid4().hex, "kind": kind, "token": token or poster_token(shift=shift)}
    if at is not None:
        body["at"] = at.isoformat()
    return Api(volunteer.user).post("/checkins", body)


def test_a_sign_in_back_dated_ten_hours_earns_nothing_beyond_the_shift_and_is_held(world):
    # given a volunteer booked 10:40–12:40 (Beijing) today
    start = timezone.now().replace(hour=2, minute=40, second=0, microsecond=0)  # 10:40 Beijing
    shift, volunteer = _booked(world, start, timedelta(hours=2))
    with time_machine.travel(start - timedelta(hours=12), tick=False):  # the poster went up the night before
        printed = Api(world.east_officer).get(f"/shifts/{shift.pk}/poster").json()["code"]
    with time_machine.travel(start, tick=False):
        # when the phone posts a sign-in dated ten hours earlier
        held = _post(volunteer, shift, "in", at=start - timedelta(hours=10), token=printed)
        live = _post(volunteer, shift, "in", at=start - timedelta(hours=10))
    assert held.status_code == 201 and held.json()["status"] == "held"
    assert "不在班次时间" in held.json()["flagged"]
    assert live.json()["status"] == "held" and "二维码已过期" in live.json()["flagged"]  # not shown then
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        # then signing out credits nothing: there is no accepted sign-in, and the reply says why
        out = _post(volunteer, shift, "out")
    assert out.status_code == 409 and "核查" in out.json()["detail"]
    assert not LedgerEntry.objects.exists()
    assert all(c.needs_review for c in CheckIn.objects.filter(held=True))


def test_a_late_online_sign_out_is_credited_only_to_the_shifts_end_and_flagged(world):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=10)
    shift, volunteer = _booked(world, start, timedelta(hours=2))
    with time_machine.travel(start - timedelta(minutes=20), tick=False):  # early, within the tolerance
        assert _post(volunteer, shift, "in").status_code == 201
    with time_machine.travel(start + timedelta(hours=5), tick=False):  # forgot to sign out for hours
        out = _post(volunteer, shift, "out")
    assert out.status_code == 201 and out.json()["hours"] == "2.00"
    assert "按班次结束时间计" in out.json()["flagged"]
    entry = LedgerEntry.objects.get()
    assert (entry.starts_at, entry.ends_at) == (shift.starts_at, shift.ends_at)


def test_an_online_sign_in_long_before_the_shift_is_refused_with_the_reason(world):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=3)
    shift, volunteer = _booked(world, start, timedelta(hours=2))
    refused = _post(volunteer, shift, "in")
    assert refused.status_code == 409 and "不在班次时间" in refused.json()["detail"]
    assert not CheckIn.objects.exists()


def test_an_offline_queue_outside_any_booking_is_held_not_lost(world):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=30)
    shift, volunteer = _booked(world, start, timedelta(hours=2))
    scanned = start + timedelta(hours=6)  # the phone's times are hours after the shift ended
    with time_machine.travel(scanned, tick=False):
        token = poster_token(shift=shift)
    keys = ["late-in-0001", "late-out-0001"]
    for _sync in range(2):  # synced, then re-sent: the same outcome, nothing doubled
        for key, kind, at in zip(keys, ("in", "out"), (scanned, scanned + timedelta(hours=1)), strict=True):
            scan, _new = checkin_record(
                by=volunteer.user, volunteer=volunteer, key=key, kind=kind, token=token, at=at
            )
            assert scan.held and scan.needs_review
    assert CheckIn.objects.filter(held=True).count() == 2 and not LedgerEntry.objects.exists()
    # the leader sees both in the review list, marked as not credited, with the reason
    client = Client()
    client.force_login(world.east_officer)
    page = client.get("/app/checkins/flagged/").content.decode()
    assert page.count("未计入</span>") == 2 and "不在班次时间" in page


def test_thirteen_hours_in_a_day_credit_eight_and_wait_five_for_the_levels_above(world):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=14)
    shift, volunteer = _booked(world, start, timedelta(hours=13))
    with time_machine.travel(start, tick=False):
        assert _post(volunteer, shift, "in").status_code == 201
    with time_machine.travel(start + timedelta(hours=13), tick=False):
        out = _post(volunteer, shift, "out").json()
    # the volunteer sees 8 h credited and 5 h waiting
    assert (out["status"], out["hours"], out["pending_hours"]) == ("pending", "8.00", "5.00")
    first, second = HoursApproval.objects.order_by("level")
    assert (first.level, first.approver, first.hours) == (1, world.east, Decimal("4.00"))
    assert (second.level, second.approver, second.hours) == (2, world.city, Decimal("1.00"))
    # the team's own leader cannot approve its overtime; the parent 文明办 can, the city for above 12 h
    team_leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    with pytest.raises(PermissionDenied):
        approval_decide(by=team_leader, approval=first, approve=True)
    with pytest.raises(PermissionDenied):
        approval_decide(by=world.east_officer, approval=second, approve=True)
    approval_decide(by=world.east_officer, approval=first, approve=True)
    city_officer = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    listed = Api(city_officer).get("/hours/approvals?status=pending").json()
    assert [a["hours"] for a in listed["items"]] == ["1.00"]
    decided = Api(city_officer).post(
        f"/hours/approvals/{second.pk}/decide", {"approve": False, "reason": "超时"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "rejected"
    # then the ledger holds 8 + 4 h, the chain is intact, and the volunteer was told both outcomes
    assert sum(e.hours for e in LedgerEntry.objects.all()) == Decimal("12.00")
    assert verify_all() == []
    subjects = set(Notification.objects.filter(user=volunteer.user).values_list("subject", flat=True))
    assert {"超时长服务已批准", "超时长服务未批准"} <= subjects
    assert Volunteer.objects.get(pk=volunteer.pk).hours_approvals.filter(status="pending").count() == 0
