from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import Api
from tests.test_ledger import _at, credit
from tests.test_ledger import volunteer as volunteer  # the fixture, re-exported for pytest
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.hours.models import Correction, LedgerEntry
from zhiyuan.hours.services.corrections import correction_decide, correction_request
from zhiyuan.hours.services.ledger import rollup_differences, verify_all, volunteer_total


def test_a_volunteer_asks_and_the_recording_unit_corrects(world, volunteer):
    entry = credit(world, volunteer, _at(2, 8), _at(2, 12))
    with pytest.raises(access.PermissionDenied):
        correction_request(by=world.east_officer, entry=entry, reason="x")
    with pytest.raises(ValidationError):
        correction_request(by=volunteer.user, entry=entry, reason=" ")
    request = correction_request(
        by=volunteer.user,
        entry=entry,
        reason="我11点就签退了",
        new_starts_at=_at(2, 8),
        new_ends_at=_at(2, 11),
    )
    with pytest.raises(Refused):
        correction_request(by=volunteer.user, entry=entry, reason="又一次")
    with pytest.raises(access.PermissionDenied):
        correction_decide(by=world.west_officer, correction=request, approve=True)
    done = correction_decide(by=world.east_officer, correction=request, approve=True)
    assert done.status == "approved" and done.replacement.hours == Decimal("3.00")
    assert volunteer_total(volunteer) == Decimal("3.00")
    assert verify_all() == [] and rollup_differences() == []
    assert LedgerEntry.objects.get(reverses=entry).reason.startswith("应志愿者申请更正")


def test_rejection_needs_a_reason_and_changes_nothing(world, volunteer):
    entry = credit(world, volunteer, _at(2, 8), _at(2, 12))
    request = correction_request(by=volunteer.user, entry=entry, reason="时间不对")
    with pytest.raises(ValidationError):
        correction_decide(by=world.east_officer, correction=request, approve=False)
    correction_decide(by=world.east_officer, correction=request, approve=False, note="签到记录显示为12点签退")
    assert Correction.objects.get().status == "rejected" and LedgerEntry.objects.count() == 1


def test_the_api_shows_my_records_and_takes_requests_scoped(world, volunteer):
    entry = credit(world, volunteer, _at(2, 8), _at(2, 12))
    mine = Api(volunteer.user)
    assert mine.get("/me/ledger").json()["items"][0]["hours"] == "4.00"
    made = mine.post(f"/me/ledger/{entry.pk}/corrections", {"reason": "应为撤销"})
    assert made.status_code == 201
    assert Api(world.east_officer).get("/me/ledger").json()["count"] == 0
    assert Api(world.west_officer).get("/corrections").json()["count"] == 0
    assert (
        Api(world.west_officer)
        .post(f"/corrections/{made.json()['id']}/decide", {"approve": True})
        .status_code
        == 404
    )
    decided = Api(world.east_officer).post(f"/corrections/{made.json()['id']}/decide", {"approve": True})
    assert decided.status_code == 200 and volunteer_total(volunteer) == Decimal("0.00")
    other = credit(world, volunteer, _at(1, 8), _at(1, 9))
    assert (
        Api(world.east_officer).post(f"/me/ledger/{other.pk}/corrections", {"reason": "x"}).status_code == 404
    )
