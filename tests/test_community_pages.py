"""The community workspace pages (/app/community/…) render for an officer, stay inside their scope, and the
public help page costs the same whatever the number of stations."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhiyuan.campaigns.models import Station
from zhiyuan.community.models import SiteVisit
from zhiyuan.community.services import needs as need_services

PAGES = [
    "/app/community/help/",
    "/app/community/help/new/",
    "/app/community/needs/",
    "/app/community/needs/tickets/",
    "/app/community/needs/visits/new/",
    "/app/community/children/",
    "/app/community/children/new/",
    "/app/community/donations/",
    "/app/community/donations/new/",
    "/app/community/events/",
    "/app/community/events/new/",
    "/app/community/news/",
    "/app/community/news/new/",
]


def test_every_workspace_page_renders_for_an_officer_and_asks_others_to_sign_in(world):
    c = Client()
    c.force_login(world.east_officer)
    for url in PAGES:
        assert c.get(url).status_code == 200, url
    assert Client().get(PAGES[0]).status_code == 302


def visit(world, by, org):
    return need_services.visit_create(
        by=by,
        organization=org,
        district=org,
        site_name="某重点项目工地（演示）",
        site_kind=SiteVisit.SiteKind.PROJECT,
        visited_on=timezone.localdate() - timedelta(days=1),
        people_met=25,
    )


def test_visits_and_needs_stay_in_scope_on_pages_and_api(world, api_as):
    v = visit(world, world.east_officer, world.east)
    west = Client()
    west.force_login(world.west_officer)
    assert west.get(f"/app/community/needs/visits/{v.pk}/").status_code == 404
    assert (
        west.post(
            f"/app/community/needs/visits/{v.pk}/add/",
            {"plan": "stay", "wages": "paid", "ticket": "not_needed"},
        ).status_code
        == 404
    )
    api = api_as(world.west_officer)
    assert api.get(f"/community/visits/{v.pk}/needs").status_code == 404
    assert api.post(f"/community/visits/{v.pk}/needs", {"plan": "stay"}).status_code == 404
    assert api.get("/community/visits").json()["count"] == 0
    assert api.get("/community/needs/aggregates").json() == {"items": [], "count": 0}
    east = api_as(world.east_officer)
    need = east.post(
        f"/community/visits/{v.pk}/needs",
        {
            "plan": "return",
            "destination": "河南商丘",
            "ticket": "wanted",
            "phone": "13812345678",
            "wages": "owed",
            "owed_amount": "4200",
            "employer": "某劳务公司（演示）",
        },
    )
    assert need.status_code == 201 and need.json()["phone_masked"] == "138****5678"
    assert api.post(f"/community/needs/{need.json()['id']}/ticket", {"ticket": "booked"}).status_code == 404
    assert (
        east.post(f"/community/needs/{need.json()['id']}/ticket", {"ticket": "booked"}).json()["ticket"]
        == "booked"
    )
    [city] = east.get("/community/needs/aggregates").json()["items"]
    assert (city["unpaid"], city["owed"], city["tickets_booked"]) == (1, "4200.00", 1)
    page = Client()
    page.force_login(world.east_officer)
    assert "4200.00" in page.get("/app/community/needs/").content.decode()
    created = api.post(
        "/community/visits",
        {
            "organization_id": world.east.pk,
            "district_id": world.east.pk,
            "site_name": "x",
            "site_kind": "company",
            "visited_on": str(timezone.localdate()),
            "people_met": 1,
        },
    )
    assert created.status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_public_help_page_costs_the_same_at_any_size(world, size, django_assert_num_queries):
    Station.objects.bulk_create(
        [Station(name=f"站点{i}", place="郑州火车站", responsible_office=world.east) for i in range(size)]
    )
    with django_assert_num_queries(1):  # the stations to choose from
        assert Client().get("/help/").status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_the_needs_page_costs_the_same_at_any_size(world, size, django_assert_num_queries):
    for _ in range(size):
        visit(world, world.east_officer, world.east)
    c = Client()
    c.force_login(world.east_officer)
    with django_assert_num_queries(6):  # session, user, grants, aggregates, count, page
        assert c.get("/app/community/needs/").status_code == 200


def test_pages_with_rows_render_what_was_recorded(world):
    from zhiyuan.community.services.children import donation_record
    from zhiyuan.community.services.news import news_publish

    v = visit(world, world.east_officer, world.east)
    need_services.need_add(
        by=world.east_officer,
        visit=v,
        plan="return",
        destination="河南南阳",
        ticket="wanted",
        phone="13812345678",
    )
    donation_record(
        by=world.east_officer,
        organization=world.east,
        school="务工子弟小学（演示）",
        items="书包",
        quantity=20,
        donor="某企业（演示）",
        donated_on=timezone.localdate(),
        unit="个",
    )
    news_publish(by=world.east_officer, title="送饺子进工地", body="正文")
    c = Client()
    c.force_login(world.east_officer)
    assert "河南南阳" in c.get(f"/app/community/needs/visits/{v.pk}/").content.decode()
    assert "河南南阳" in c.get("/app/community/needs/tickets/").content.decode()
    assert "20个" in c.get("/app/community/donations/").content.decode()
    assert "送饺子进工地" in c.get("/app/community/news/").content.decode()
    assert "送饺子进工地" in Client().get("/news/").content.decode()
