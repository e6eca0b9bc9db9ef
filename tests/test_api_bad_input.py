"""Bad input is a 4xx with the error body, never a 500: the cases clients nobody here wrote ran into."""

from __future__ import annotations

from django.test import Client

from tests.conftest import Api
from zhiyuan.outreach.models import Channel


def test_a_huge_offset_or_limit_is_refused_even_without_login(db):
    client = Client()
    huge = client.get("/api/v1/news?offset=10322728093807084041468890841088")
    assert huge.status_code == 422 and huge.json()["detail"][0]["loc"] == ["query", "offset"]
    assert client.get("/api/v1/news?limit=100000").status_code == 422
    assert client.get("/api/v1/news?limit=200").status_code == 200


def test_null_for_a_text_field_clears_it(world):
    # the document says string or null: null is accepted, and means no address
    world.east.address = "金水东路（演示）"
    world.east.save()
    response = Api(world.east_officer).patch(f"/organizations/{world.east.pk}", {"address": None})
    assert response.status_code == 200 and response.json()["address"] == ""


def test_a_clone_year_past_the_lunar_calendar_is_a_422(world):
    response = Api(world.admin).post("/campaigns/no-such/clone", {"year": 2100})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "year"]


def test_deleting_an_organisation_a_channel_points_to_is_a_409_naming_it(world):
    leaf = world.east_team
    leaf.memberships.all().delete()
    Channel.objects.create(organization=leaf, kind=Channel.Kind.HOTLINE, name="春运热线（演示）")
    response = Api(world.east_officer).delete(f"/organizations/{leaf.pk}")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "still_referred" and "春运热线（演示）" in body["message"]


def test_a_boolean_sent_as_a_number_is_refused(world):
    response = Api(world.admin).post("/self-reports/1/decide", {"approve": 1})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "approve"]
