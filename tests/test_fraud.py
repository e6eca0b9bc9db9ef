"""Fraud controls: 补录 only through an approved request, a leader voids a fraudulent entry with a reason
(a new ledger entry; nothing deleted), credit hours apart from entered hours, the volunteer told each time."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.hours.models import Backfill, LedgerEntry
from zhiyuan.hours.services.checkin import checkin_record, poster_token
from zhiyuan.hours.services.ledger import ledger_append, verify_all, volunteer_total
from zhiyuan.notifications.models import Notification
from zhiyuan.organizations.roles import Role


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_a_back_office_entry_is_voided_by_the_recording_unit_with_reason_and_approver(world):
    volunteer = bulk_volunteers(world.east, 1, prefix="作废")[0]
    # given 5 hours entered in the back office (the CCTV case: bought for 40 yuan)
    bought = ledger_append(
        volunteer=volunteer,
        organization=world.east_team,
        activity="未发生的活动",
        starts_at=_at(2, 8),
        ends_at=_at(2, 13),
        source="bulk",
        by=world.east_officer,
    )
    # outside the recording unit's line nobody can void it, and a reason is required
    assert Api(world.west_officer).post(f"/ledger/{bought.pk}/void", {"reason": "虚假"}).status_code == 404
    assert Api(world.east_officer).post(f"/ledger/{bought.pk}/void", {"reason": " "}).status_code == 422
    # when the district's officer voids it
    made = Api(world.east_officer).post(f"/ledger/{bought.pk}/void", {"reason": "经核查活动未举行"})
    assert made.status_code == 201 and made.json()["source"] == "void"
    # then a reversal names the approver, the original row is untouched, the total is 0, the chain intact
    reversal = LedgerEntry.objects.get(reverses=bought)
    assert (reversal.approved_by, reversal.hours) == (world.east_officer, Decimal("-5.00"))
    assert "经核查活动未举行" in reversal.reason
    assert LedgerEntry.objects.count() == 2 and volunteer_total(volunteer) == 0 and verify_all() == []
    assert Api(world.east_officer).post(f"/ledger/{bought.pk}/void", {"reason": "再次"}).status_code == 409
    assert Notification.objects.filter(user=volunteer.user, subject="服务记录已作废").exists()


def test_back_fill_needs_reason_evidence_and_a_second_person_and_is_marked(world):
    volunteer = bulk_volunteers(world.east, 1, prefix="补录")[0]
    second = MembershipFactory(organization=world.east, role=Role.OFFICER).user
    body = {
        "volunteer_number": volunteer.number,
        "organization_id": world.east.pk,
        "activity": "东广场文明引导",
        "starts_at": _at(40, 9).isoformat(),  # far past the 10-working-day window: only 补录 can enter it
        "ends_at": _at(40, 12).isoformat(),
        "reason": "当日签到设备故障",
        "evidence": "",
    }
    refused = Api(world.east_officer).post("/backfills", body)
    assert refused.status_code == 422 and "evidence" in str(refused.json())
    assert Api(world.west_officer).post("/backfills", {**body, "evidence": "纸质签到表"}).status_code == 404
    made = Api(world.east_officer).post("/backfills", {**body, "evidence": "纸质签到表照片，站长王某证明"})
    assert made.status_code == 201 and not LedgerEntry.objects.exists()  # a request writes no hours
    pk = made.json()["id"]
    # the requester cannot approve their own request
    own = Api(world.east_officer).post(f"/backfills/{pk}/decide", {"approve": True})
    assert own.status_code == 409 and "申请人以外" in own.json()["detail"]
    decided = Api(second).post(f"/backfills/{pk}/decide", {"approve": True, "note": "材料属实"})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    entry = Backfill.objects.get(pk=pk).ledger_entry
    assert (entry.source, entry.recorded_by, entry.approved_by) == ("backfill", world.east_officer, second)
    assert entry.hours == Decimal("3.00") and entry.reason.startswith("补录")
    assert Notification.objects.filter(user=volunteer.user, subject="补录已审批").exists()
    # entered hours are kept apart from the volunteer's own scanned credit hours
    assert Api(volunteer.user).get("/me/hours/split").json() == {"credit": "0.00", "entered": "3.00"}
    assert verify_all() == []


def test_scanned_hours_count_as_credit_and_a_void_counts_against_them(world):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=5)
    shift = Shift.objects.create(
        organization=world.east_team,
        title="引导",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
    )
    volunteer = bulk_volunteers(world.east, 1, prefix="扫码")[0]
    Signup.objects.create(shift=shift, volunteer=volunteer, status="accepted")
    for kind, when in (("in", start), ("out", start + timedelta(hours=2))):
        with time_machine.travel(when, tick=False):
            out, _new = checkin_record(
                by=volunteer.user,
                volunteer=volunteer,
                key=uuid.uuid4().hex,
                kind=kind,
                token=poster_token(shift=shift),
            )
    assert Api(volunteer.user).get("/me/hours/split").json() == {"credit": "2.00", "entered": "0.00"}
    Api(world.east_officer).post(f"/ledger/{out.ledger_entry_id}/void", {"reason": "代签"})
    assert Api(volunteer.user).get("/me/hours/split").json() == {"credit": "0.00", "entered": "0.00"}
