"""Correction pages: the volunteer asks from their history, the recording unit approves (reversal plus
replacement) or declines with a reason; scoped, with clear errors and a constant query count."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.people_helpers import bulk_volunteers
from tests.test_ledger import _at, credit
from tests.test_ledger import volunteer as volunteer  # the fixture, re-exported for pytest
from zhiyuan.hours.models import Correction, LedgerEntry
from zhiyuan.hours.services.corrections import correction_request
from zhiyuan.hours.services.ledger import ledger_append, rollup_differences, verify_all, volunteer_total


def local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def entry(world, volunteer):
    return credit(world, volunteer, _at(2, 8), _at(2, 12))


def test_a_volunteer_asks_from_their_history_and_sees_the_status(world, volunteer, entry, client):
    client.force_login(volunteer.user)
    mine = client.get("/app/me/hours/").content.decode()
    assert f"/app/me/hours/entries/{entry.pk}/correction/" in mine and "/app/me/hours/history/" in mine
    history = client.get("/app/me/hours/history/").content.decode()
    assert "申请更正" in history and "东广场志愿服务" in history
    url = f"/app/me/hours/entries/{entry.pk}/correction/"
    assert client.get(url).status_code == 200
    form = {
        "problem": "times",
        "new_starts_at": local(_at(2, 8)),
        "new_ends_at": local(_at(2, 11)),
        "reason": "11点就签退了",
    }
    assert client.post(url, form).status_code == 302
    request = Correction.objects.get()
    assert request.reason == "服务时间不对：11点就签退了" and request.new_ends_at == _at(2, 11)
    page = client.get(url).content.decode()
    assert "待审核" in page and "已有待处理的更正申请" in page
    assert "待审核" in client.get("/app/me/hours/history/").content.decode()
    # the nav's 更正 link takes a volunteer to their own history
    assert client.get("/app/hours/corrections/")["Location"] == "/app/me/hours/history/"


def test_bad_requests_say_everything_at_once_and_write_nothing(world, volunteer, entry, client):
    client.force_login(volunteer.user)
    url = f"/app/me/hours/entries/{entry.pk}/correction/"
    page = client.post(url, {"problem": "times", "new_starts_at": "", "new_ends_at": "", "reason": ""})
    html = page.content.decode()
    assert (
        page.status_code == 422 and html.count("请填写正确的时间。") == 2 and html.count('class="error"') == 3
    )
    backwards = {
        "problem": "times",
        "new_starts_at": local(_at(2, 12)),
        "new_ends_at": local(_at(2, 9)),
        "reason": "x",
    }
    page = client.post(url, backwards)
    assert page.status_code == 422 and "结束时间须晚于开始时间。" in page.content.decode()
    assert Correction.objects.count() == 0
    # a void request carries no replacement times even if the form still shows them
    void = {**backwards, "problem": "void", "reason": "那天我在外地"}
    assert client.post(url, void).status_code == 302
    assert Correction.objects.get().new_starts_at is None


def test_entries_of_others_are_not_found(world, volunteer, entry, client):
    other = bulk_volunteers(world.east, 1, start=500, prefix="别人")[0]
    client.force_login(other.user)
    assert client.get(f"/app/me/hours/entries/{entry.pk}/correction/").status_code == 404
    assert (
        client.post(
            f"/app/me/hours/entries/{entry.pk}/correction/", {"problem": "void", "reason": "x"}
        ).status_code
        == 404
    )
    client.force_login(world.east_officer)  # the recording unit decides requests; it does not file them
    assert client.get(f"/app/me/hours/entries/{entry.pk}/correction/").status_code == 404


def test_the_recording_unit_approves_through_the_ledger(world, volunteer, entry, client):
    request = correction_request(
        by=volunteer.user, entry=entry, reason="时间不对", new_starts_at=_at(2, 8), new_ends_at=_at(2, 10)
    )
    client.force_login(world.west_officer)
    assert "时间不对" not in client.get("/app/hours/corrections/").content.decode()
    assert (
        client.post(f"/app/hours/corrections/{request.pk}/decide/", {"decision": "approve"}).status_code
        == 404
    )
    client.force_login(world.east_officer)
    queue = client.get("/app/hours/corrections/").content.decode()
    assert "时间不对" in queue and volunteer.number in queue
    assert (
        client.post(f"/app/hours/corrections/{request.pk}/decide/", {"decision": "approve"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == world.east_officer
    assert LedgerEntry.objects.filter(reverses=entry).exists() and request.replacement.hours == Decimal(
        "2.00"
    )
    assert volunteer_total(volunteer) == Decimal("2.00") and verify_all() == [] and rollup_differences() == []
    again = client.post(f"/app/hours/corrections/{request.pk}/decide/", {"decision": "approve"}, follow=True)
    assert "该申请已处理。" in again.content.decode()
    client.force_login(volunteer.user)
    history = client.get("/app/me/hours/history/").content.decode()
    assert "已更正" in history and "已冲销" in history


def test_declining_needs_a_reason_the_volunteer_then_sees(world, volunteer, entry, client):
    request = correction_request(by=volunteer.user, entry=entry, reason="时间不对")
    client.force_login(world.east_officer)
    page = client.post(f"/app/hours/corrections/{request.pk}/decide/", {"decision": "decline"}, follow=True)
    assert "不予更正须说明理由。" in page.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(
        f"/app/hours/corrections/{request.pk}/decide/", {"decision": "decline", "note": "签到记录为12点"}
    )
    request.refresh_from_db()
    assert request.status == "rejected" and LedgerEntry.objects.count() == 1
    client.force_login(volunteer.user)
    page = client.get(f"/app/me/hours/entries/{entry.pk}/correction/").content.decode()
    assert "不予更正" in page and "签到记录为12点" in page


def test_an_entry_past_the_recording_window_is_corrected_only_through_the_flow(world, volunteer, client):
    old = credit(world, volunteer, _at(40, 8), _at(40, 12), late_allowed=True)  # an import from back then
    with pytest.raises(ValidationError, match="10个工作日"):
        ledger_append(
            volunteer=volunteer,
            organization=world.east_team,
            activity="补录",
            starts_at=_at(40, 14),
            ends_at=_at(40, 15),
            source="bulk",
            by=world.east_officer,
        )
    client.force_login(volunteer.user)
    url = f"/app/me/hours/entries/{old.pk}/correction/"
    form = {
        "problem": "times",
        "new_starts_at": local(_at(40, 8)),
        "new_ends_at": local(_at(40, 13)),
        "reason": "少记了1小时",
    }
    assert client.post(url, form).status_code == 302
    client.force_login(world.east_officer)
    request = Correction.objects.get()
    assert (
        client.post(f"/app/hours/corrections/{request.pk}/decide/", {"decision": "approve"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.replacement.hours == Decimal("5.00")
    assert verify_all() == [] and rollup_differences() == []


def _entries(world, volunteer, count, first_day):
    made = []
    for i in range(count):
        day, hour = first_day + i // 10, 7 + i % 10
        made.append(credit(world, volunteer, _at(day, hour), _at(day, hour) + timedelta(minutes=50)))
    return made


def test_history_and_queue_cost_the_same_queries_for_5_or_50(world, volunteer):
    mine, unit = Client(), Client()
    mine.force_login(volunteer.user)
    unit.force_login(world.east_officer)

    def measure():
        with CaptureQueriesContext(connection) as history:
            assert mine.get("/app/me/hours/history/").status_code == 200
        with CaptureQueriesContext(connection) as queue:
            assert unit.get("/app/hours/corrections/").status_code == 200
        return len(history), len(queue)

    def ask(entries):
        for e in entries:
            correction_request(by=volunteer.user, entry=e, reason="时间不对")

    ask(_entries(world, volunteer, 5, 1))
    measure()
    small = measure()
    ask(_entries(world, volunteer, 45, 2))
    assert measure() == small
    assert Correction.objects.filter(status="pending").count() == 50
