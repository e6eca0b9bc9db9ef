"""Issue 8, done when: a person on a phone, not logged in, finds the nearest station with its hotline and
claims two free tickets and gets a code — through the HTTP layer. Plus the public pages' cache headers,
their constant query counts and what they never show."""

import re

import pytest
from django.test import Client

from tests.test_outreach_helpers import donation, hotline, running_campaign, staff_now, station_at, venue
from zhiyuan.outreach.models import TicketClaim, TicketDonation

PHONE_UA = "Mozilla/5.0 (Linux; Android 10; Redmi 8A) AppleWebKit/537.36 Mobile Safari/537.36"


@pytest.fixture
def city(world):
    campaign = running_campaign(world)
    # 郑州火车站 (34.746, 113.658), 郑州东站 (34.757, 113.779), 长途汽车西站 (34.748, 113.602)
    rail = station_at(world, campaign, "郑州火车站", "34.746000", "113.658000", hotline="0371-68880001")
    east = station_at(world, campaign, "郑州火车东站", "34.757000", "113.779000", hotline="0371-68880002")
    west = station_at(world, campaign, "郑州长途汽车西站", "34.748000", "113.602000", office=world.west)
    nowhere = station_at(world, campaign, "未标注位置的站点", None, None)
    staff_now(world, east)
    hotline(world, campaign)
    return {"campaign": campaign, "rail": rail, "east": east, "west": west, "nowhere": nowhere}


def test_a_person_on_a_phone_finds_the_nearest_station_and_claims_two_tickets(world, city):
    phone = Client(HTTP_USER_AGENT=PHONE_UA)
    # the home page shows the campaign and points to the station finder
    home = phone.get("/")
    assert home.status_code == 200
    assert "温暖回乡路" in home.content.decode()
    assert 'href="/stations/"' in home.content.decode()
    # standing near 郑州东站, the browser's position sorts the stations by distance
    page = phone.get("/stations/", {"lat": "34.760", "lng": "113.770"})
    html = page.content.decode()
    order = [
        html.index(name) for name in ("郑州火车东站", "郑州火车站<", "郑州长途汽车西站", "未标注位置的站点")
    ]
    assert order == sorted(order)
    # the nearest one is staffed right now, with its hotline as a tel: link
    first = html[html.index("郑州火车东站") : html.index("郑州火车站<")]
    assert "志愿者在岗" in first and 'href="tel:0371-68880002"' in first
    # tickets are listed with what is left, and two are claimed by the person
    gift = donation(world, city["campaign"], quantity=30)
    listing = phone.get("/tickets/").content.decode()
    assert "郑州市动物园（演示）" in listing and "剩余 30 张" in listing
    form = phone.get(f"/tickets/{gift.pk}/claim/")
    assert form.status_code == 200
    done = phone.post(
        f"/tickets/{gift.pk}/claim/",
        {"kind": "person", "name": "李某", "phone": "138 0013 8000", "quantity": "2"},
        follow=True,
    )
    assert done.status_code == 200
    code = TicketClaim.objects.get().code
    body = done.content.decode()
    assert code in body and "<svg" in body and "138****8000" in body and "13800138000" not in body
    assert done.redirect_chain[-1][0] == f"/tickets/claim/{code}/"
    assert "private" in done["Cache-Control"] and "no-store" in done["Cache-Control"]
    assert TicketDonation.objects.get(pk=gift.pk).remaining == 28
    # the code looks the claim up later, and only that claim
    again = Client().get(f"/tickets/claim/{code.lower()}/")
    assert again.status_code == 200 and "待领取" in again.content.decode()
    assert Client().get("/tickets/claim/NOPE234567/").status_code == 404


def test_without_a_position_stations_are_grouped_by_district(world, city):
    html = Client().get("/stations/").content.decode()
    assert html.index("郑东新区文明办") < html.index("郑州火车站")
    assert html.index("中原区文明办") < html.index("郑州长途汽车西站")
    # a position outside the world is ignored rather than an error
    assert Client().get("/stations/", {"lat": "999", "lng": "x"}).status_code == 200


def test_staffed_means_a_shift_in_progress_with_someone_signed_in_and_not_out(world, city):
    staff_now(world, city["west"], signed_out=True)
    html = Client().get(f"/stations/{city['west'].pk}/").content.decode()
    assert "暂无志愿者在岗" in html
    html = Client().get(f"/stations/{city['east'].pk}/").content.decode()
    assert "志愿者在岗" in html and "暂无志愿者在岗" not in html


@pytest.mark.parametrize(
    "path", ["/", "/stations/", "/stations/?lat=34.7&lng=113.6", "/channels/", "/tickets/", "/venues/"]
)
def test_public_pages_are_cacheable_for_anonymous_visitors(world, city, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert re.search(r"public, max-age=\d+", response["Cache-Control"]) or re.search(
        r"max-age=\d+, public", response["Cache-Control"]
    )
    assert "Cookie" in response["Vary"]
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies  # nothing personal: no session, no CSRF cookie


def test_a_signed_in_officer_gets_private_copies(world, city, client):
    client.force_login(world.east_officer)
    assert "private" in client.get("/stations/")["Cache-Control"]


def _station_rows(world, campaign, n: int, start: int) -> None:
    for i in range(n):
        s = station_at(world, campaign, f"站点{start + i}", f"34.{700 + i}", f"113.{600 + i}")
        if i % 2:
            staff_now(world, s, n=i)


@pytest.mark.parametrize(
    "path", ["/", "/stations/", "/stations/?lat=34.75&lng=113.7", "/tickets/", "/channels/", "/venues/"]
)
def test_public_pages_cost_the_same_at_any_size(world, city, path, django_assert_max_num_queries):
    _station_rows(world, city["campaign"], 3, 100)
    with django_assert_max_num_queries(8) as small:
        Client().get(path)
    _station_rows(world, city["campaign"], 20, 200)
    for i in range(10):
        donation(world, city["campaign"], quantity=5, donor=f"公园{i}（演示）")
        hotline(world, city["campaign"], name=f"热线{i}", value=f"0371-6718{i:04d}")
        venue(world, name=f"馆{i}（演示）")
    with django_assert_max_num_queries(len(small.captured_queries)):
        Client().get(path)


def test_the_language_switch_is_a_link_that_sets_the_cookie_and_goes_back(world, city):
    c = Client()
    switched = c.get("/lang/en/", {"next": "/stations/"})
    assert switched.status_code == 302 and switched["Location"] == "/stations/"
    assert switched.cookies["django_language"].value == "en"
    assert "no-store" in switched["Cache-Control"]
    assert c.get("/").wsgi_request.LANGUAGE_CODE == "en"
    assert Client().get("/lang/en/", {"next": "https://evil.example/"})["Location"] == "/"
    assert "django_language" not in Client().get("/lang/xx/").cookies


def test_the_certificate_check_still_answers_at_its_address(db):
    assert Client().get("/verify/ZY-NONE/").status_code in (200, 404)
    assert "证明" in Client().get("/verify/ZY-NONE/").content.decode()


def test_between_seasons_the_portal_shows_the_campaigns_of_the_latest_year(world):
    from datetime import date

    from zhiyuan.campaigns.models import Campaign
    from zhiyuan.outreach.selectors.public import current_campaigns

    def make(slug, starts, ends):
        return Campaign.objects.create(
            slug=slug, title=slug, organizer=world.city, starts_on=starts, ends_on=ends
        )

    spring = make("chunyun-2019", date(2019, 1, 21), date(2019, 3, 1))
    weekly = make("five-hours-2019", date(2019, 7, 26), date(2019, 12, 31))
    make("old", date(2018, 1, 1), date(2018, 2, 1))
    assert current_campaigns(date(2026, 11, 23)) == [spring, weekly]
    assert current_campaigns(date(2019, 2, 1)) == [spring]
    assert current_campaigns(date(2019, 5, 1)) == [weekly]  # the next to start
