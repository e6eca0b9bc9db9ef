"""Officer pages and API of the outreach app (channels, venues and reservations, donations and claims), scoped
by core.access with IDOR tests; the public API; the seed and demo data."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import MembershipFactory
from tests.test_outreach_helpers import donation, hotline, running_campaign, staff_now, station_at, venue
from zhiyuan.organizations.roles import Role
from zhiyuan.outreach.models import Channel, TicketClaim, TicketDonation, Venue, VenueReservation
from zhiyuan.outreach.services import tickets as ticket_services


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def campaign(world):
    return running_campaign(world)


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def liaison_of(org):
    return MembershipFactory(organization=org, role=Role.LIAISON).user


def test_group_reservations_are_rate_limited_per_phone(world):
    from datetime import timedelta

    from django.utils import timezone

    museum = venue(world)
    form = {
        "organization_name": "某项目部",
        "contact_name": "赵某",
        "phone": "13800138000",
        "size": "10",
        "visit_date": str(timezone.localdate() + timedelta(days=3)),
    }
    codes = [Client().post(f"/venues/{museum.pk}/reserve/", form).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert VenueReservation.objects.count() == 3


# --- officer pages ----------------------------------------------------------------------------------------


def test_an_officer_adds_a_hotline_and_the_public_sees_it_once_published(world, campaign):
    officer = signed_in(world.east_officer)
    bad = officer.post(
        "/app/outreach/channels/new/",
        {"organization": world.east.pk, "kind": "hotline", "name": "", "value": "12", "order": 0},
    )
    assert bad.status_code == 422
    assert "请输入手机号码、带区号的固定电话或12345等服务号码" in bad.content.decode()
    assert not Channel.objects.exists()
    done = officer.post(
        "/app/outreach/channels/new/",
        {
            "organization": world.east.pk,
            "kind": "hotline",
            "name": "东区春运热线",
            "value": "037167186891",
            "order": 0,
            "published": "on",
            "campaign": campaign.pk,
        },
    )
    assert done.status_code == 302
    channel = Channel.objects.get()
    assert channel.value == "0371-67186891" and channel.organization == world.east
    assert 'href="tel:037167186891"' in Client().get("/channels/").content.decode()
    # filing under an organisation outside one's scope is not offered
    foreign = officer.post(
        "/app/outreach/channels/new/",
        {"organization": world.west.pk, "kind": "wechat", "name": "西区公众号", "value": "x", "order": 0},
    )
    assert foreign.status_code == 422 and Channel.objects.count() == 1


def test_channel_pages_are_scoped_404_outside_and_403_without_the_right(world, campaign):
    channel = hotline(world, campaign)  # filed under the city office
    east_channel = Channel.objects.create(
        organization=world.east, kind="weibo", name="东区微博", value="@东区"
    )
    assert (
        signed_in(world.west_officer).get(f"/app/outreach/channels/{east_channel.pk}/edit/").status_code
        == 404
    )
    assert (
        signed_in(world.west_officer).post(f"/app/outreach/channels/{east_channel.pk}/delete/").status_code
        == 404
    )
    liaison = signed_in(liaison_of(world.east))
    assert liaison.get(f"/app/outreach/channels/{east_channel.pk}/edit/").status_code == 403
    member = signed_in(MembershipFactory(organization=world.east, role=Role.MEMBER).user)
    assert member.get(f"/app/outreach/channels/{east_channel.pk}/edit/").status_code == 404
    listing = signed_in(world.east_officer).get("/app/outreach/channels/").content.decode()
    assert "东区微博" in listing and channel.name not in listing  # the city's channel is above the east
    assert (
        signed_in(world.east_officer).post(f"/app/outreach/channels/{east_channel.pk}/delete/").status_code
        == 302
    )
    assert not Channel.objects.filter(pk=east_channel.pk).exists()


def test_a_group_reserves_a_venue_and_its_unit_accepts_or_declines(world):
    museum = venue(world)
    c = Client()
    form = {
        "organization_name": "某建筑公司项目部",
        "contact_name": "赵某",
        "phone": "13800138000",
        "size": "80",
        "visit_date": "2000-01-01",
    }
    bad = c.post(f"/venues/{museum.pk}/reserve/", form)
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "人数应在1到60之间" in html and "参观日期须在今天之后" in html
    from datetime import timedelta

    from django.utils import timezone

    form.update(size="40", visit_date=str(timezone.localdate() + timedelta(days=7)), guided_tour="on")
    done = c.post(f"/venues/{museum.pk}/reserve/", form, follow=True)
    reservation = VenueReservation.objects.get()
    assert reservation.code in done.content.decode() and "138****8000" in done.content.decode()
    # the other district cannot see or decide it; a liaison of the unit sees it but may not decide
    assert signed_in(world.west_officer).get(f"/app/outreach/venues/{museum.pk}/").status_code == 404
    assert (
        signed_in(world.west_officer).post(f"/app/outreach/reservations/{reservation.pk}/accept/").status_code
        == 404
    )
    assert (
        signed_in(liaison_of(world.east))
        .post(f"/app/outreach/reservations/{reservation.pk}/accept/")
        .status_code
        == 403
    )
    officer = signed_in(world.east_officer)
    page = officer.get(f"/app/outreach/venues/{museum.pk}/").content.decode()
    assert "某建筑公司项目部" in page and "13800138000" not in page
    officer.post(f"/app/outreach/reservations/{reservation.pk}/decline/", {"reason": ""})
    reservation.refresh_from_db()
    assert reservation.status == "pending"  # declining needs a reason
    officer.post(f"/app/outreach/reservations/{reservation.pk}/accept/")
    reservation.refresh_from_db()
    assert reservation.status == "accepted" and reservation.decided_by == world.east_officer
    assert "已接受" in Client().get(f"/venues/reservation/{reservation.code}/").content.decode()


def test_donations_claims_and_collecting_by_scanning_the_code(world, campaign):
    officer = signed_in(world.east_officer)
    created = officer.post(
        "/app/outreach/tickets/new/",
        {
            "organization": world.east.pk,
            "campaign": campaign.pk,
            "donor": "郑州市动物园（演示）",
            "supervisor": "市园林局",
            "quantity": "10",
            "requirements": "提供身份证复印件",
            "per_claim_limit": "2",
            "hold_hours": "48",
            "published": "on",
        },
    )
    assert created.status_code == 302
    gift = TicketDonation.objects.get()
    made = ticket_services.claim_create(donation=gift, name="李某", phone="13800138000", quantity=2)
    detail = officer.get(f"/app/outreach/tickets/{gift.pk}/").content.decode()
    assert made.code in detail and "138****8000" in detail
    # the QR's page, for the other district, does not exist
    assert signed_in(world.west_officer).get(f"/app/outreach/claims/{made.code}/").status_code == 404
    assert signed_in(world.west_officer).get(f"/app/outreach/tickets/{gift.pk}/").status_code == 404
    assert signed_in(world.west_officer).get(f"/app/outreach/tickets/{gift.pk}/edit/").status_code == 404
    counter = signed_in(liaison_of(world.east))
    assert counter.get(f"/app/outreach/tickets/{gift.pk}/edit/").status_code == 403
    assert counter.get(f"/app/outreach/claims/?code={made.code.lower()}").status_code == 302
    counter.post(f"/app/outreach/claims/{made.code}/", {"action": "collect"})
    made.refresh_from_db()
    assert made.status == TicketClaim.Status.COLLECTED
    # a donation with claims cannot be deleted, only unpublished
    officer.post(f"/app/outreach/tickets/{gift.pk}/delete/")
    assert TicketDonation.objects.filter(pk=gift.pk).exists()
    edited = officer.post(
        f"/app/outreach/tickets/{gift.pk}/edit/",
        {
            "campaign": campaign.pk,
            "donor": "郑州市动物园（演示）",
            "quantity": "1",
            "per_claim_limit": "2",
            "hold_hours": "48",
        },
    )
    assert edited.status_code == 422 and "不能少于此数" in edited.content.decode()


@pytest.mark.parametrize(
    "path", ["/app/outreach/channels/", "/app/outreach/venues/", "/app/outreach/tickets/"]
)
def test_officer_lists_cost_the_same_at_any_size(world, campaign, path, django_assert_max_num_queries):
    def rows(n, start):
        for i in range(n):
            Channel.objects.create(
                organization=world.east, kind="hotline", name=f"热线{start + i}", value="12345"
            )
            venue(world, name=f"馆{start + i}")
            gift = donation(world, campaign, donor=f"园{start + i}")
            ticket_services.claim_create(
                donation=gift, name="某", phone=f"1380013{start + i:04d}", quantity=1
            )

    officer = signed_in(world.east_officer)
    rows(2, 0)
    officer.get(path)
    with django_assert_max_num_queries(20) as small:
        assert officer.get(path).status_code == 200
    rows(15, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        officer.get(path)


# --- API --------------------------------------------------------------------------------------------------


def test_the_public_api_lists_stations_by_distance_and_takes_a_claim(
    world, campaign, django_assert_max_num_queries
):
    near = station_at(world, campaign, "郑州火车东站", "34.757000", "113.779000")
    station_at(world, campaign, "郑州火车站", "34.746000", "113.658000")
    staff_now(world, near)
    c = Client()
    body = c.get("/api/v1/public/stations?lat=34.76&lng=113.77").json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["name"] == "郑州火车东站" and first["staffed_now"] is True and first["distance_km"] < 2
    gift = donation(world, campaign, quantity=3)
    assert c.get("/api/v1/public/tickets").json()["items"][0]["remaining"] == 3
    made = c.post(
        f"/api/v1/public/tickets/{gift.pk}/claims",
        {"name": "李某", "phone": "13800138000", "quantity": 2},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["phone_masked"] == "138****8000" and "13800138000" not in made.content.decode()
    over = c.post(
        f"/api/v1/public/tickets/{gift.pk}/claims",
        {"name": "王某", "phone": "13900139000", "quantity": 2},
        content_type="application/json",
    )
    assert over.status_code == 409 and "只剩1张" in over.json()["detail"]
    bad = c.post(
        f"/api/v1/public/tickets/{gift.pk}/claims",
        {"name": "", "phone": "1", "quantity": 0},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["detail"]} == {"name", "phone", "quantity"}
    assert c.get(f"/api/v1/public/claims/{made.json()['code']}").json()["status"] == "reserved"
    for path in ("/api/v1/public/stations", "/api/v1/public/channels", "/api/v1/public/venues"):
        assert c.get(path).status_code == 200
    with django_assert_max_num_queries(6):
        c.get("/api/v1/public/stations?lat=34.76&lng=113.77")


def test_the_officer_api_is_scoped(world, campaign, api_as):
    gift = donation(world, campaign)
    made = ticket_services.claim_create(donation=gift, name="李某", phone="13800138000", quantity=1)
    east, west, liaison = (
        api_as(world.east_officer),
        api_as(world.west_officer),
        api_as(liaison_of(world.east)),
    )
    assert [d["id"] for d in east.get("/outreach/donations").json()["items"]] == [gift.pk]
    assert west.get("/outreach/donations").json()["count"] == 0
    assert west.get(f"/outreach/donations/{gift.pk}").status_code == 404
    assert west.patch(f"/outreach/donations/{gift.pk}", {"quantity": 99}).status_code == 404
    assert west.post(f"/outreach/claims/{made.code}/collect", {}).status_code == 404
    assert liaison.patch(f"/outreach/donations/{gift.pk}", {"quantity": 99}).status_code == 403
    assert east.patch(f"/outreach/donations/{gift.pk}", {"quantity": 0}).status_code == 422
    claims = east.get(f"/outreach/donations/{gift.pk}/claims").json()
    assert claims["items"][0]["phone_masked"] == "138****8000"
    assert liaison.post(f"/outreach/claims/{made.code}/collect", {}).json()["status"] == "collected"
    assert liaison.post(f"/outreach/claims/{made.code}/collect", {}).status_code == 409
    created = east.post(
        "/outreach/channels",
        {"organization_id": world.east.pk, "kind": "hotline", "name": "热线", "value": "12345"},
    )
    assert created.status_code == 201
    assert west.patch(f"/outreach/channels/{created.json()['id']}", {"name": "改"}).status_code == 404
    foreign = west.post(
        "/outreach/venues", {"organization_id": world.east.pk, "name": "馆", "kind": "museum"}
    )
    assert foreign.status_code == 422
    mine = west.post("/outreach/venues", {"organization_id": world.west.pk, "name": "馆", "kind": "museum"})
    assert mine.status_code == 201
    assert east.get(f"/outreach/venues/{mine.json()['id']}/reservations").status_code == 404


# --- seeds ------------------------------------------------------------------------------------------------


def test_the_seed_loads_the_notices_venues_and_channels_unpublished_and_idempotently(db):
    from zhiyuan.seeds.demo_outreach import demo_outreach
    from zhiyuan.seeds.loader import Tally, load_seeds

    load_seeds()
    assert Venue.objects.count() == 8 and not Venue.objects.filter(published=True).exists()
    assert Venue.objects.get(name="郑州市博物馆").guided_tours
    assert Channel.objects.filter(kind="safe_call").count() == 3
    assert not Channel.objects.filter(published=True).exists()
    again = load_seeds()
    assert (again.created, again.updated) == (0, 0)
    tally = Tally()
    demo_outreach(tally)
    demo_outreach(tally)
    assert TicketDonation.objects.count() == 3
    assert all("（演示）" in d.donor for d in TicketDonation.objects.all())
    assert all("（演示）" in c.name for c in Channel.objects.filter(published=True))
