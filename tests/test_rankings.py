"""Rankings for the annual commendation: per team, unit and campaign, for a period, scoped."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Campaign, Station
from zhiyuan.core import access
from zhiyuan.hours.models import Award, LedgerEntry, StarThreshold, WeeklyRollup
from zhiyuan.hours.services.ledger import SHANGHAI, ledger_append, ledger_correct, week_of
from zhiyuan.hours.services.rankings import ranking
from zhiyuan.organizations.roles import Role

START, END = date(2026, 1, 1), date(2026, 12, 31)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def credit(world, volunteer, organization, day, hours, **kw):
    return ledger_append(
        volunteer=volunteer,
        organization=organization,
        activity="志愿服务",
        starts_at=_at(day, 8),
        ends_at=_at(day, 8) + timedelta(hours=hours),
        source="bulk",
        by=world.admin,
        late_allowed=True,
        **kw,
    )


def bulk_entries(world, volunteers, organization, day, hours, station=None):
    """Ledger rows without the chain, for size tests only: rankings read sums, not links."""
    now = timezone.now()
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                volunteer=v,
                seq=1,
                organization=organization,
                station=station,
                activity="志愿服务",
                starts_at=_at(day, 8),
                ends_at=_at(day, 8) + timedelta(hours=hours),
                hours=Decimal(hours),
                source="bulk",
                recorded_by=world.admin,
                prev_hash="0" * 64,
                hash=f"{v.pk:064d}",
                created_at=now,
            )
            for v in volunteers
        ]
    )
    WeeklyRollup.objects.bulk_create(
        [WeeklyRollup(volunteer=v, week=week_of(_at(day, 8)), hours=Decimal(hours)) for v in volunteers]
    )


@pytest.fixture
def three(world):
    return bulk_volunteers(world.east, 3, prefix="排名")


def test_ranked_by_verified_hours_in_the_period_with_corrections(world, three):
    a, b, c = three
    day = date(2026, 3, 2)
    credit(world, a, world.east_team, day, 4)
    credit(world, a, world.east_team, day + timedelta(days=1), 2)
    wrong = credit(world, b, world.east, day, 9)
    # b's 9 hours were a mistake: corrected to 6, so b ties with a
    ledger_correct(
        by=world.east_officer,
        entry=wrong,
        reason="签退有误",
        new_starts_at=_at(day, 8),
        new_ends_at=_at(day, 14),
    )
    credit(world, c, world.east_team, day, 5)
    credit(world, c, world.west_team, day + timedelta(days=2), 8)  # recorded by another district
    credit(world, c, world.east_team, date(2025, 12, 30), 8)  # before the period
    rows, count = ranking(user=world.east_officer, organization=world.east, start=START, end=END)
    assert count == 3
    assert [(r.rank, r.number, r.hours) for r in rows] == [
        (1, a.number, Decimal("6.00")),
        (1, b.number, Decimal("6.00")),
        (3, c.number, Decimal("5.00")),
    ]
    # the team's own ranking counts only what the team recorded
    rows, _ = ranking(user=world.east_officer, organization=world.east_team, start=START, end=END)
    assert [(r.number, r.hours) for r in rows] == [(a.number, Decimal("6.00")), (c.number, Decimal("5.00"))]
    # a fully reversed record leaves nobody to rank
    ledger_correct(by=world.east_officer, entry=LedgerEntry.objects.get(volunteer=c, hours=5), reason="误录")
    rows, _ = ranking(user=world.east_officer, organization=world.east_team, start=START, end=END)
    assert [r.number for r in rows] == [a.number]


def test_star_level_lifetime_hours_and_awards_in_the_period(world, three):
    a = three[0]
    StarThreshold.objects.create(organization=world.east, stars=1, hours=Decimal(10))
    credit(world, a, world.east_team, date(2026, 3, 2), 4)
    credit(world, a, world.west_team, date(2025, 6, 2), 8)  # outside the period and another unit
    Award.objects.create(
        volunteer=a, name="优秀", date=date(2026, 5, 1), granted_by="市", recorded_by=world.admin
    )
    Award.objects.create(
        volunteer=a, name="旧", date=date(2024, 5, 1), granted_by="市", recorded_by=world.admin
    )
    (row,), _ = ranking(user=world.east_officer, organization=world.east_team, start=START, end=END)
    assert (row.hours, row.total_hours, row.stars, row.awards) == (Decimal(4), Decimal(12), 1, 1)


def test_campaign_ranking_is_cut_to_the_users_part_of_the_tree(world, three):
    campaign = Campaign.objects.create(
        slug="chunyun-2026", title="2026年春运", organizer=world.city, starts_on=START, ends_on=END
    )
    station = Station.objects.create(
        campaign=campaign, name="东广场站", place="郑州火车站", responsible_office=world.east
    )
    a, b, c = three
    credit(world, a, world.east_team, date(2026, 2, 1), 3, station=station)
    credit(world, b, world.west_team, date(2026, 2, 1), 5, station=station)
    credit(world, c, world.east_team, date(2026, 2, 2), 7)  # not at the campaign's station
    rows, _ = ranking(user=world.admin, campaign=campaign, start=START, end=END)
    assert [r.number for r in rows] == [b.number, a.number]
    rows, _ = ranking(user=world.east_officer, campaign=campaign, start=START, end=END)
    assert [r.number for r in rows] == [a.number]


def test_bad_input_and_permissions(world):
    with pytest.raises(ValidationError) as exc:
        ranking(user=world.east_officer, organization=world.east, start=END, end=START)
    assert set(exc.value.message_dict) == {"end"}
    with pytest.raises(ValidationError) as exc:
        ranking(user=world.east_officer, organization=world.east, start=None, end=date(2030, 1, 1))
    assert set(exc.value.message_dict) == {"start"}
    with pytest.raises(ValidationError):
        ranking(user=world.east_officer, start=START, end=END)
    with pytest.raises(access.PermissionDenied):
        ranking(user=world.west_officer, organization=world.east, start=START, end=END)


# --- page, spreadsheet, API -------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_page_chart_and_xlsx(world, three):
    for i, v in enumerate(three):
        credit(world, v, world.east_team, date(2026, 4, 6), i + 1)
    client = _client(world.east_officer)
    query = {"organization": world.east.pk, "start": "2026-01-01", "end": "2026-12-31"}
    page = client.get("/app/hours/rankings/", query)
    body = page.content.decode()
    assert page.status_code == 200 and 'id="chart"' in body
    assert body.index(three[2].number) < body.index(three[0].number)  # most hours first
    download = client.get("/app/hours/rankings.xlsx", query)
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [(r[0], r[1], r[4]) for r in rows] == [
        (1, three[2].number, 3),
        (2, three[1].number, 2),
        (3, three[0].number, 1),
    ]
    bad = client.get("/app/hours/rankings/", {**query, "start": "2027-01-01"})
    assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.content.decode()
    assert client.get("/app/hours/rankings/", {**query, "end": "nonsense"}).status_code == 200
    assert client.get("/app/hours/rankings.xlsx", {**query, "start": "2027-01-01"}).status_code == 400


def test_page_and_api_are_scoped(world, api_as):
    west = _client(world.west_officer)
    query = {"organization": world.east.pk}
    assert west.get("/app/hours/rankings/", query).status_code == 404
    assert west.get("/app/hours/rankings.xlsx", query).status_code == 404
    assert api_as(world.west_officer).get(f"/rankings?organization={world.east.pk}").status_code == 404
    assert west.get("/app/hours/rankings/", {"campaign": "no-such"}).status_code == 404
    member = MembershipFactory(organization=world.east_team, role=Role.MEMBER).user
    assert _client(member).get("/app/hours/rankings/").status_code == 403
    assert (
        api_as(member).get(f"/rankings?organization={world.east_team.pk}").status_code == 403
    )  # may see the team, not rank its people
    assert (
        api_as(world.east_officer)
        .get(f"/rankings?organization={world.east.pk}&start=2026-05-01&end=2026-01-01")
        .status_code
        == 422
    )


@pytest.mark.parametrize("path", ["/app/hours/rankings/", "api"])
def test_queries_do_not_grow_with_the_ranking(world, api_as, path, django_assert_max_num_queries):
    client, api = _client(world.east_officer), api_as(world.east_officer)
    counts = []
    for size, start in ((3, 0), (40, 100)):
        bulk_entries(
            world,
            bulk_volunteers(world.east, size, start=start, prefix="规模"),
            world.east_team,
            date(2026, 3, 2),
            2,
        )
        with django_assert_max_num_queries(30) as captured:
            if path == "api":
                reply = api.get(f"/rankings?organization={world.east.pk}&start=2026-01-01&end=2026-12-31")
                assert reply.json()["count"] == LedgerEntry.objects.count()
            else:
                assert (
                    client.get(
                        path, {"organization": world.east.pk, "start": "2026-01-01", "end": "2026-12-31"}
                    ).status_code
                    == 200
                )
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_api_pages_through_the_ranking(world, api_as):
    bulk_entries(world, bulk_volunteers(world.east, 5, prefix="翻页"), world.east_team, date(2026, 3, 2), 2)
    api = api_as(world.east_officer)
    first = api.get(f"/rankings?organization={world.east.pk}&start=2026-01-01&end=2026-12-31&limit=2").json()
    rest = api.get(
        f"/rankings?organization={world.east.pk}&start=2026-01-01&end=2026-12-31&limit=2&offset=2"
    ).json()
    assert first["count"] == rest["count"] == 5
    assert len(first["items"]) == 2 and len(rest["items"]) == 2
    assert {i["rank"] for i in first["items"] + rest["items"]} == {1}  # all tied
    numbers = [i["volunteer_number"] for i in first["items"] + rest["items"]]
    assert len(set(numbers)) == 4
