"""邻里守望 community events (issue 8 §7): public list and sign-up for migrant workers and families, the
capacity never exceeded (threads on PostgreSQL), attendance marked by the organiser, volunteer hours through
a linked shift."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.test_shifts_concurrency import pool_size, run_pool
from zhiyuan.community.models import CommunityEvent, EventSignup
from zhiyuan.community.services import events as services
from zhiyuan.core.errors import Refused

K = CommunityEvent.Kind


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def make_event(world, capacity=20, title="和留守工友一起包饺子", **extra):
    start = timezone.now() + timedelta(days=3)
    return services.event_create(
        by=world.east_officer,
        organization=world.east,
        kind=K.DUMPLINGS,
        title=title,
        place="金水区某社区党群服务中心（演示）",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=capacity,
        **extra,
    )


def test_a_family_signs_up_on_the_public_pages_and_gets_a_code(world):
    event = make_event(world, capacity=5)
    phone = Client()
    listing = phone.get("/events/")
    assert listing.status_code == 200 and event.title in listing.content.decode()
    assert "public" in listing["Cache-Control"] and "max-age" in listing["Cache-Control"]
    detail = phone.get(f"/events/{event.pk}/")
    assert "public" in detail["Cache-Control"] and "剩余5人" in detail.content.decode()
    form = phone.get(f"/events/{event.pk}/signup/")
    assert "no-store" in form["Cache-Control"]
    done = phone.post(
        f"/events/{event.pk}/signup/", {"name": "李某（演示）", "phone": "13812345678", "party_size": 3}
    )
    assert done.status_code == 201 and "no-store" in done["Cache-Control"]
    assert re.search(r'data-testid="signup-code">[A-Z0-9]{8}<', done.content.decode())
    event.refresh_from_db()
    assert event.taken == 3
    # the same phone again, and a party bigger than what is left: refused with the reason
    again = phone.post(
        f"/events/{event.pk}/signup/", {"name": "李某", "phone": "13812345678", "party_size": 1}
    )
    assert again.status_code == 409 and "已经报过名" in again.content.decode()
    too_many = phone.post(
        f"/events/{event.pk}/signup/", {"name": "王某", "phone": "13912345678", "party_size": 3}
    )
    assert too_many.status_code == 409 and "只剩2个名额" in too_many.content.decode()
    assert EventSignup.objects.count() == 1


def test_unpublished_and_past_events_take_no_sign_ups(world):
    hidden = make_event(world, published=False)
    assert Client().get(f"/events/{hidden.pk}/").status_code == 404
    event = make_event(world)
    CommunityEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(Refused):
        services.event_signup_create(event=event, name="张某", phone_number="13812345678", party_size=1)


def test_sign_ups_are_limited_per_phone(world, settings):
    settings.ZHIYUAN_SIGNUP_RATE_PER_PHONE = (2, 3600)
    events = [make_event(world, title=f"活动{i}") for i in range(3)]
    c = Client()
    codes = [
        c.post(
            f"/events/{e.pk}/signup/", {"name": "张某", "phone": "13812345678", "party_size": 1}
        ).status_code
        for e in events
    ]
    assert codes == [201, 201, 429]


def test_the_organiser_marks_attendance_and_others_cannot(world):
    event = make_event(world)
    s = services.event_signup_create(event=event, name="张某", phone_number="13812345678", party_size=2)
    west = Client()
    west.force_login(world.west_officer)
    assert west.get(f"/app/community/events/{event.pk}/").status_code == 404
    assert west.post(f"/app/community/signups/{s.pk}/attendance/", {"attended": "1"}).status_code == 404
    east = Client()
    east.force_login(world.east_officer)
    page = east.get(f"/app/community/events/{event.pk}/")
    assert page.status_code == 200 and "13812345678" in page.content.decode()
    assert east.post(f"/app/community/signups/{s.pk}/attendance/", {"attended": "1"}).status_code == 302
    s.refresh_from_db()
    assert s.attended is True and s.marked_by == world.east_officer


def test_an_event_with_volunteer_places_lays_out_a_shift_so_hours_count(world):
    event = make_event(world, volunteer_places=6)
    assert event.shift is not None
    assert (event.shift.capacity, event.shift.organization, event.shift.starts_at) == (
        6,
        world.east,
        event.starts_at,
    )


def test_api_public_sign_up_and_officer_idor(world, api_as):
    event = make_event(world, capacity=2)
    anon = Client()
    assert anon.get("/api/v1/events").json()["count"] == 1
    ok = anon.post(
        f"/api/v1/events/{event.pk}/signups",
        {"name": "张某", "phone": "13812345678", "party_size": 2},
        content_type="application/json",
    )
    assert ok.status_code == 201 and len(ok.json()["code"]) == 8
    full = anon.post(
        f"/api/v1/events/{event.pk}/signups",
        {"name": "王某", "phone": "13912345678", "party_size": 1},
        content_type="application/json",
    )
    assert full.status_code == 409 and "名额已满" in full.json()["detail"]
    west, east = api_as(world.west_officer), api_as(world.east_officer)
    assert west.get(f"/community/events/{event.pk}/signups").status_code == 404
    pk = EventSignup.objects.get().pk
    assert west.post(f"/community/signups/{pk}/attendance", {"attended": True}).status_code == 404
    assert east.post(f"/community/signups/{pk}/attendance", {"attended": True}).json()["attended"] is True
    created = east.post(
        "/community/events",
        {
            "organization_id": world.west.pk,
            "kind": "film",
            "title": "放映电影",
            "place": "工地",
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
            "capacity": 50,
        },
    )
    assert created.status_code == 404  # the west office is out of the east officer's scope


@pytest.mark.parametrize("size", [2, 15])
def test_public_event_pages_cost_the_same_at_any_size(world, size, django_assert_num_queries):
    for i in range(size):
        make_event(world, title=f"迎春活动{i}")
    c = Client()
    with django_assert_num_queries(2):  # count, page
        assert c.get("/events/").status_code == 200
    with django_assert_num_queries(2):
        assert c.get("/api/v1/events").json()["count"] == size


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_100_families_race_for_30_places_and_the_event_is_never_overbooked(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are a PostgreSQL matter")
    event = make_event(world, capacity=30)
    outcomes: list[str] = []

    def sign_up(i: int) -> None:
        try:
            services.event_signup_create(
                event=event, name=f"工友{i}", phone_number=f"1381234{i:04d}", party_size=1 + i % 2
            )
            outcomes.append("ok")
        except Refused:
            outcomes.append("full")

    errors = run_pool(list(range(100)), sign_up, pool_size())
    assert errors == []
    event.refresh_from_db()
    taken = sum(EventSignup.objects.filter(event=event).values_list("party_size", flat=True))
    assert event.taken == taken <= 30
    assert event.taken >= 29  # places are only left when the last family would not fit
    assert outcomes.count("ok") == EventSignup.objects.filter(event=event).count()
