"""The 5-hour week by person and by unit, and star levels."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.core import access
from zhiyuan.hours.models import StarThreshold, WeeklyQuota, WeeklyRollup
from zhiyuan.hours.services.compliance import (
    month_weeks,
    my_week,
    quota_for,
    star_level,
    star_thresholds,
    unit_compliance,
    unit_compliance_month,
)
from zhiyuan.organizations.models import Kind, Membership
from zhiyuan.organizations.roles import Role

WEEK = date(2026, 11, 16)  # a Monday


def members(team, count, start=0, prefix="达标"):
    volunteers = bulk_volunteers(team, count, start=start, prefix=prefix)
    Membership.objects.bulk_create(
        [Membership(user_id=v.user_id, organization=team, role=Role.VOLUNTEER) for v in volunteers]
    )
    return volunteers


def rollups(volunteers, hours, week=WEEK):
    WeeklyRollup.objects.bulk_create(
        [
            WeeklyRollup(volunteer=v, week=week, hours=Decimal(h))
            for v, h in zip(volunteers, hours, strict=True)
        ]
    )


def test_quota_is_the_nearest_on_the_path_and_defaults_to_five(world):
    squad = OrganizationFactory(name="一中队", kind=Kind.SQUADRON, parent=world.east_team)
    assert quota_for(squad) == Decimal(5)
    WeeklyQuota.objects.create(organization=world.city, hours=Decimal(4))
    assert quota_for(squad) == quota_for(world.west_team) == Decimal(4)
    WeeklyQuota.objects.create(organization=world.east_team, hours=Decimal("3.5"))
    assert quota_for(squad) == quota_for(world.east_team) == Decimal("3.5")
    assert quota_for(world.east) == Decimal(4)
    WeeklyQuota.objects.create(organization=squad, hours=Decimal(8))
    assert quota_for(squad) == Decimal(8)


def test_rate_and_the_short_list(world):
    team = members(world.east_team, 5)
    outsider = bulk_volunteers(world.east, 1, start=50, prefix="不在队")  # no membership: not counted
    west = members(world.west_team, 1, start=60, prefix="西")
    rollups(team[:4], ["6", "5", "4.5", "1"])
    rollups(outsider + west, ["0.5", "0.5"])
    rollups(team[:1], ["0"], week=WEEK - timedelta(weeks=1))
    result = unit_compliance(user=world.east_officer, organization=world.east, week=WEEK + timedelta(days=3))
    assert (result.week, result.quota, result.total, result.met, result.rate) == (WEEK, Decimal(5), 5, 2, 0.4)
    assert [(p["number"], p["hours"]) for p in result.short] == [
        (team[4].number, Decimal(0)),
        (team[3].number, Decimal(1)),
        (team[2].number, Decimal("4.5")),
    ]
    assert result.short[2]["missing"] == Decimal("0.5")
    with pytest.raises(access.PermissionDenied):
        unit_compliance(user=world.west_officer, organization=world.east, week=WEEK)
    month = unit_compliance_month(user=world.east_officer, organization=world.east, year=2026, month=11)
    assert [w.week for w in month] == month_weeks(2026, 11) == [date(2026, 11, d) for d in (2, 9, 16, 23, 30)]
    assert [w.met for w in month] == [0, 0, 2, 0, 0]


def test_my_week_and_streak(world):
    v = members(world.east_team, 1)[0]
    WeeklyQuota.objects.create(organization=world.east, hours=Decimal(3))
    v.home_organization = world.east_team
    v.save(update_fields=["home_organization"])
    rollups([v] * 1, ["1"], week=WEEK)
    rollups([v], ["3"], week=WEEK - timedelta(weeks=1))
    rollups([v], ["4"], week=WEEK - timedelta(weeks=2))
    rollups([v], ["2"], week=WEEK - timedelta(weeks=3))
    rollups([v], ["9"], week=WEEK - timedelta(weeks=4))
    mine = my_week(v, WEEK + timedelta(days=6))
    assert (mine.week, mine.hours, mine.quota, mine.remaining, mine.streak) == (
        WEEK,
        Decimal(1),
        Decimal(3),
        Decimal(2),
        2,
    )
    assert mine.total == Decimal(19) and mine.percent == 33


def test_star_levels_with_organization_overrides(world):
    v = bulk_volunteers(world.east_team, 1, prefix="星级")[0]
    assert star_thresholds(world.east_team) == {1: 100, 2: 300, 3: 600, 4: 1000, 5: 1500}
    assert star_level(v) == 0
    rollups([v], ["150"])
    assert star_level(v) == 1
    StarThreshold.objects.create(organization=world.city, stars=2, hours=Decimal(140))
    assert star_level(v) == 2
    StarThreshold.objects.create(organization=world.east_team, stars=2, hours=Decimal(200))
    assert star_level(v) == 1  # the nearer organisation wins
    StarThreshold.objects.create(organization=world.west, stars=1, hours=Decimal(1000))  # another branch
    assert star_level(v) == 1
    rollups([v], ["1300"], week=WEEK - timedelta(weeks=1))
    assert star_level(v) == 4


def _page(client, world):
    return client.get("/app/hours/compliance/", {"organization": world.east.pk, "week": WEEK.isoformat()})


def test_the_page_and_the_api_cost_the_same_queries_for_10_or_1000(world, api_as, django_assert_num_queries):
    team = members(world.east_team, 10)
    rollups(team, ["5"] * 5 + ["1"] * 5)
    client = Client()
    client.force_login(world.east_officer)
    api = api_as(world.east_officer)
    path = f"/compliance?organization={world.east.pk}&week={WEEK.isoformat()}"
    _page(client, world)
    api.get(path)
    with CaptureQueriesContext(connection) as page_10:
        small = _page(client, world)
    with CaptureQueriesContext(connection) as api_10:
        small_api = api.get(path)
    assert small.status_code == 200 and "50%" in small.content.decode()
    assert small_api.json()["rate"] == 0.5 and len(small_api.json()["short"]) == 5
    more = members(world.east_team, 990, start=10, prefix="更多")
    rollups(more, ["6"] * 990)
    with django_assert_num_queries(len(page_10)):
        large = _page(client, world)
    with django_assert_num_queries(len(api_10)):
        large_api = api.get(path)
    assert large.status_code == 200 and "995/1000" in large.content.decode()
    body = large_api.json()
    assert (body["total"], body["met"], body["rate"], len(body["short"])) == (1000, 995, 0.995, 5)


def test_compliance_scope_and_permission(world, api_as):
    west = api_as(world.west_officer)
    assert west.get(f"/compliance?organization={world.east.pk}").status_code == 404
    member = MembershipFactory(organization=world.east_team, role=Role.VOLUNTEER).user
    assert api_as(member).get(f"/compliance?organization={world.east_team.pk}").status_code == 403
    client = Client()
    client.force_login(world.west_officer)
    assert client.get("/app/hours/compliance/", {"organization": world.east.pk}).status_code == 404
    assert client.get("/app/hours/compliance/").status_code == 200
    client.force_login(member)
    assert client.get("/app/hours/compliance/").status_code == 403
