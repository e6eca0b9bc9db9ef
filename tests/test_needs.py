"""需求摸排 (issue 8 §5): visits and needs recorded by volunteers, aggregated by district and city; the
aggregates equal sums over the raw records (property-based), in one query, within the user's scope."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import MembershipFactory, OrganizationFactory
from zhiyuan.community.models import NeedRecord, SiteVisit
from zhiyuan.community.selectors.needs import METRICS, needs_aggregate
from zhiyuan.community.services import needs as services
from zhiyuan.core.access import PermissionDenied
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role

N = NeedRecord
TODAY = timezone.localdate()


def visit(world, district=None, people=10, by=None, org=None, day=None):
    return services.visit_create(
        by=by or world.east_officer,
        organization=org or world.east,
        district=district or world.east,
        site_name="绿地中心北塔工地",
        site_kind=SiteVisit.SiteKind.CONSTRUCTION,
        visited_on=day or TODAY,
        people_met=people,
    )


def test_a_visit_records_needs_without_an_id_number_and_keeps_a_phone_only_for_ticket_help(world):
    v = visit(world)
    staying = services.need_add(by=world.east_officer, visit=v, plan=N.Plan.STAY, phone="13812345678")
    going = services.need_add(
        by=world.east_officer,
        visit=v,
        plan=N.Plan.RETURN,
        destination="河南周口",
        return_on=TODAY + timedelta(days=10),
        wages=N.Wages.OWED,
        owed_amount="3500",
        employer="某建筑劳务公司（演示）",
        ticket=N.Ticket.WANTED,
        phone="138 1234 5679",
    )
    assert staying.phone == ""  # nobody will call about a ticket, so the number is not kept
    assert going.phone == "13812345679" and going.owed_amount == Decimal("3500.00")
    assert not any("id" in f.name and "number" in f.name for f in N._meta.get_fields())


def test_bad_needs_report_every_field_at_once_and_write_nothing(world):
    v = visit(world)
    with pytest.raises(ValidationError) as exc:
        services.need_add(
            by=world.east_officer, visit=v, plan=N.Plan.RETURN, wages=N.Wages.OWED, ticket=N.Ticket.WANTED
        )
    assert set(exc.value.message_dict) == {"destination", "owed_amount", "employer", "phone"}
    assert NeedRecord.objects.count() == 0


def test_a_visit_is_recorded_only_for_ones_own_unit(world):
    with pytest.raises(PermissionDenied):
        visit(world, by=world.west_officer, org=world.east)


def test_ticket_help_is_followed_to_booked(world):
    v = visit(world)
    need = services.need_add(
        by=world.east_officer,
        visit=v,
        plan=N.Plan.RETURN,
        destination="安徽阜阳",
        ticket=N.Ticket.WANTED,
        phone="13812345678",
    )
    services.need_ticket_set(by=world.east_officer, need=need, ticket=N.Ticket.BOOKED, note="K1234 1月28日")
    [city] = needs_aggregate(user=world.east_officer)
    assert (city.tickets_wanted, city.tickets_booked) == (1, 1)


def test_aggregates_roll_districts_up_to_the_city_in_one_query_and_stay_in_scope(
    world, django_assert_num_queries
):
    visit(world, world.east, people=30)
    visit(world, world.west, people=12, by=world.west_officer, org=world.west)
    with django_assert_num_queries(1):
        cities = needs_aggregate(user=world.admin)
    [city] = cities
    assert city.name == "郑州市文明办" and city.visits == 2 and city.people == 42
    assert sorted(d.name for d in city.districts) == ["中原区文明办", "郑东新区文明办"]
    # the east officer sees only the east district
    [east_only] = needs_aggregate(user=world.east_officer)
    assert [d.name for d in east_only.districts] == ["郑东新区文明办"] and east_only.people == 30


need_strategy = st.fixed_dictionaries(
    {
        "plan": st.sampled_from(N.Plan.values),
        "wages": st.sampled_from(N.Wages.values),
        "owed": st.integers(1, 50000),
        "ticket": st.sampled_from(N.Ticket.values),
    }
)
visit_strategy = st.tuples(st.integers(0, 3), st.integers(0, 60), st.lists(need_strategy, max_size=5))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(visits=st.lists(visit_strategy, max_size=8))
def test_aggregates_equal_sums_over_the_raw_records(world, visits):
    SiteVisit.objects.all().delete()
    other_city = OrganizationFactory(name="开封市文明办", kind=Kind.OFFICE)
    districts = [
        world.east,
        world.west,
        OrganizationFactory(name="鼓楼区文明办", kind=Kind.OFFICE, parent=other_city),
        world.city,
    ]
    for d, people, needs in visits:
        v = visit(world, districts[d], people=people, by=world.admin)
        for n in needs:
            returning = n["plan"] == N.Plan.RETURN
            ticket = n["ticket"] if returning else N.Ticket.NOT_NEEDED
            services.need_add(
                by=world.admin,
                visit=v,
                plan=n["plan"],
                destination="河南信阳" if returning else "",
                wages=n["wages"],
                owed_amount=n["owed"] if n["wages"] == N.Wages.OWED else 0,
                employer="用工单位（演示）",
                ticket=ticket,
                phone="13812345678" if ticket != N.Ticket.NOT_NEEDED else "",
            )
    got = {
        d.name: {m: getattr(d, m) for m in METRICS}
        for c in needs_aggregate(user=world.admin)
        for d in c.districts
    }
    expected: dict[str, dict] = {}
    for v in SiteVisit.objects.select_related("district"):
        row = expected.setdefault(v.district.name, {m: 0 for m in METRICS} | {"owed": Decimal(0)})
        records = list(v.needs.all())
        row["visits"] += 1
        row["people"] += v.people_met
        row["records"] += len(records)
        row["returning"] += sum(r.plan == N.Plan.RETURN for r in records)
        row["staying"] += sum(r.plan == N.Plan.STAY for r in records)
        row["unpaid"] += sum(r.wages == N.Wages.OWED for r in records)
        row["owed"] += sum((r.owed_amount for r in records if r.wages == N.Wages.OWED), Decimal(0))
        row["tickets_wanted"] += sum(r.ticket != N.Ticket.NOT_NEEDED for r in records)
        row["tickets_booked"] += sum(r.ticket == N.Ticket.BOOKED for r in records)
    assert got == expected
    # and each city is the sum of its districts
    for c in needs_aggregate(user=world.admin):
        for m in METRICS:
            assert getattr(c, m) == sum(
                (getattr(d, m) for d in c.districts), Decimal(0) if m == "owed" else 0
            )


def test_grid_heads_see_aggregates_but_members_do_not(world):
    visit(world)
    head = MembershipFactory(organization=world.east, role=Role.GRID_HEAD).user
    member = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    assert needs_aggregate(user=head)[0].visits == 1
    assert needs_aggregate(user=member) == []


def test_future_visit_dates_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        visit(world, day=date.today() + timedelta(days=5))
    assert "visited_on" in exc.value.message_dict
