import pytest

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers, id_number, last_code
from zhiyuan.core import sms
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import IdReveal, Volunteer


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


@pytest.fixture
def east_volunteer(world):
    return bulk_volunteers(world.east, 1, prefix="东")[0]


def test_register_through_the_api(world, client):
    assert (
        client.post(
            "/api/v1/register/code", {"mobile": "13800001234"}, content_type="application/json"
        ).status_code
        == 204
    )
    busy = client.post("/api/v1/register/code", {"mobile": "13800001234"}, content_type="application/json")
    assert busy.status_code == 409 and "60秒" in busy.json()["detail"]
    from datetime import date

    payload = {
        "full_name": "王某",
        "mobile": "13800001234",
        "code": last_code("13800001234"),
        "password": "zhiyuan-Volunteer-1",
        "id_number": id_number(date(1995, 1, 2)),
        "home_organization_id": world.east.pk,
        "privacy_consent": True,
        "skills": ["legal"],
    }
    made = client.post("/api/v1/register", payload, content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (
        body["id_masked"].startswith("4101****")
        and body["mobile"] == "138****1234"
        and body["skills"] == ["legal"]
    )
    assert id_number(date(1995, 1, 2)) not in made.content.decode()


def test_register_errors_are_422_per_field(world, client):
    bad = client.post(
        "/api/v1/register",
        {
            "full_name": "王某",
            "mobile": "123",
            "code": "1",
            "password": "x",
            "id_number": "1",
            "privacy_consent": False,
            "skills": ["flying"],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["detail"]} == {"skills"}  # unknown skill code reported first
    extra = client.post("/api/v1/register", {"full_name": "王某", "hack": 1}, content_type="application/json")
    assert extra.status_code == 422


def test_officers_list_their_volunteers_masked(world, east_volunteer):
    bulk_volunteers(world.west, 2, start=100, prefix="西")
    items = Api(world.east_officer).get("/volunteers").json()["items"]
    assert [v["number"] for v in items] == [east_volunteer.number]
    assert "*" in items[0]["id_masked"] and "****" in items[0]["mobile"]


def test_team_leaders_see_their_members_who_live_elsewhere(world):
    member = bulk_volunteers(world.west, 1, prefix="跨区")[0]
    MembershipFactory(user=member.user, organization=world.east_team, role=Role.VOLUNTEER)
    numbers = [v["number"] for v in Api(world.east_officer).get("/volunteers").json()["items"]]
    assert numbers == [member.number]
    assert Api(world.east_officer).get(f"/volunteers?team={world.east_team.pk}").json()["count"] == 1


@pytest.mark.parametrize("call", ["get", "patch", "reveal"])
def test_cross_organisation_volunteer_is_404(world, east_volunteer, call):
    api = Api(world.west_officer)
    path = f"/volunteers/{east_volunteer.number}"
    response = {
        "get": lambda: api.get(path),
        "patch": lambda: api.patch(path, {"residence": "x"}),
        "reveal": lambda: api.post(path + "/reveal", {"reason": "x"}),
    }[call]()
    assert response.status_code == 404
    assert not IdReveal.objects.exists()
    assert Volunteer.objects.get(pk=east_volunteer.pk).residence == ""


def test_reveal_is_audited_and_needs_the_role(world, east_volunteer):
    leader = MembershipFactory(organization=world.east, role=Role.LEADER).user
    assert (
        Api(leader).post(f"/volunteers/{east_volunteer.number}/reveal", {"reason": "核对"}).status_code == 403
    )
    shown = Api(world.east_officer).post(
        f"/volunteers/{east_volunteer.number}/reveal", {"reason": "购买保险"}
    )
    assert shown.status_code == 200 and len(shown.json()["id_number"]) == 18
    assert IdReveal.objects.get().reason == "购买保险"


def test_entry_by_an_organisation(world):
    from datetime import date

    api = Api(world.east_officer)
    payload = {
        "organization_id": world.east_team.pk,
        "full_name": "赵某",
        "mobile": "13800003333",
        "id_number": id_number(date(1960, 6, 6)),
        "consent_evidence": "本人签字",
    }
    made = api.post("/volunteers", payload)
    assert made.status_code == 201, made.content
    assert made.json()["home_organization_name"] == "郑东新区文明办"
    elsewhere = Api(world.east_officer).post("/volunteers", {**payload, "organization_id": world.west.pk})
    assert elsewhere.status_code == 422 and elsewhere.json()["detail"][0]["loc"][-1] == "organization_id"


def test_me(world, east_volunteer):
    assert Api(east_volunteer.user).get("/me").json()["number"] == east_volunteer.number
    assert Api(world.east_officer).get("/me").status_code == 404


@pytest.mark.parametrize("size", [10, 1000])
def test_volunteer_list_query_count_does_not_grow(world, size, django_assert_max_num_queries):
    bulk_volunteers(world.east, size)
    api = Api(world.east_officer)
    # token + last-used stamp, grants, count, page, skills prefetch
    with django_assert_max_num_queries(6):
        body = api.get("/volunteers?limit=100").json()
    assert body["count"] == size
