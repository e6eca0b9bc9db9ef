"""时长审核 page: overtime and 补录 decided by the right people, 作废 by number and 序号, linked from the menu;
the volunteer's own page shows the hours waiting and credit apart from entered hours."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.hours.models import Backfill, HoursApproval, LedgerEntry
from zhiyuan.hours.services.daily_cap import credit_capped
from zhiyuan.organizations.roles import Role


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_the_review_page_decides_overtime_backfills_and_voids(world, django_assert_max_num_queries):
    volunteer = bulk_volunteers(world.east, 1, prefix="审核")[0]
    entry, (waiting,) = credit_capped(
        volunteer=volunteer,
        organization=world.east_team,
        activity="春运引导",
        starts_at=_at(1, 6),
        ends_at=_at(1, 16),
        source="bulk",
        by=world.east_officer,
    )
    assert entry.hours == Decimal("8.00") and waiting.hours == Decimal("2.00")
    client = Client()
    client.force_login(volunteer.user)
    mine = client.get("/app/me/hours/").content.decode()
    assert 'id="waiting"' in mine and "2.00" in mine and "负责人录入 8.00" in mine
    client.force_login(world.east_officer)
    with django_assert_max_num_queries(20):
        page = client.get("/app/hours/review/")
    html = page.content.decode()
    assert page.status_code == 200 and f'id="overtime-{waiting.pk}"' in html
    assert 'href="/app/hours/review/"' in html  # in the menu
    client.post(f"/app/hours/review/overtime/{waiting.pk}/", {"decision": "approve"})
    assert HoursApproval.objects.get().status == "approved"
    # 补录: asked by one officer, decided by another
    body = {
        "volunteer_number": volunteer.number,
        "organization": world.east.pk,
        "activity": "补录活动",
        "starts_at": _at(30, 9).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": _at(30, 11).strftime("%Y-%m-%dT%H:%M"),
        "reason": "设备故障",
        "evidence": "纸质签到表",
    }
    client.post("/app/hours/review/backfills/new/", body)
    backfill = Backfill.objects.get()
    client.post(f"/app/hours/review/backfills/{backfill.pk}/", {"decision": "approve"})
    assert Backfill.objects.get().status == "pending"  # not by the one who asked
    client.force_login(MembershipFactory(organization=world.east, role=Role.OFFICER).user)
    client.post(f"/app/hours/review/backfills/{backfill.pk}/", {"decision": "approve"})
    assert Backfill.objects.get().ledger_entry.source == "backfill"
    # 作废 by volunteer number and 序号, outside the line it is not found
    client.force_login(world.west_officer)
    assert (
        client.post(
            "/app/hours/review/void/", {"volunteer_number": volunteer.number, "seq": 1, "reason": "x"}
        ).status_code
        == 404
    )
    client.force_login(world.east_officer)
    client.post(
        "/app/hours/review/void/", {"volunteer_number": volunteer.number, "seq": 1, "reason": "虚假记录"}
    )
    assert LedgerEntry.objects.filter(source="void", reverses__seq=1).exists()


def test_a_volunteer_is_sent_to_their_hours(world):
    volunteer = bulk_volunteers(world.east, 1, prefix="无权")[0]
    client = Client()
    client.force_login(volunteer.user)
    assert client.get("/app/hours/review/").status_code == 302
