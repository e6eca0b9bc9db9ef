"""表彰奖励 and 服务评价: recorded by the volunteer's units, shown to the volunteer, scoped everywhere."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.hours.models import Award, Evaluation
from zhiyuan.hours.services.recognition import (
    award_list,
    award_record,
    evaluation_organizations,
    evaluation_record,
)
from zhiyuan.organizations.models import Kind, Membership
from zhiyuan.organizations.roles import Role

DAY = date(2026, 10, 1)


@pytest.fixture
def volunteer(world):
    v = bulk_volunteers(world.east, 1, prefix="表彰")[0]
    Membership.objects.create(user_id=v.user_id, organization=world.east_team, role=Role.VOLUNTEER)
    return v


@pytest.fixture
def team_leader(world):
    return MembershipFactory(organization=world.east_team, role=Role.LEADER).user


def award(by, volunteer, **kw):
    data = {"name": "优秀志愿者", "date": DAY, "granted_by": "郑州市文明办", **kw}
    return award_record(by=by, volunteer=volunteer, **data)


def test_the_volunteers_units_record_awards_and_others_may_not(world, volunteer, team_leader):
    # given a volunteer living in 郑东新区 and serving in its 青年志愿服务队
    first = award(world.east_officer, volunteer)
    second = award(team_leader, volunteer, name="春运志愿服务先进个人", granted_by="郑州铁路局")
    assert (first.recorded_by, second.recorded_by) == (world.east_officer, team_leader)
    assert first.history.get().history_user == world.east_officer  # audited like every hours record
    # the other district's officer, and a plain member of the team, may not
    member = MembershipFactory(organization=world.east_team, role=Role.MEMBER).user
    for outsider in (world.west_officer, member):
        with pytest.raises(access.PermissionDenied):
            award(outsider, volunteer, name="另一项")
    assert Award.objects.count() == 2
    assert list(award_list(user=world.west_officer)) == []
    assert list(award_list(user=world.east_officer)) == [second, first]  # same day: the newer first


def test_bad_award_input_is_reported_field_by_field_and_nothing_is_written(world, volunteer):
    with pytest.raises(ValidationError) as exc:
        award(
            world.east_officer, volunteer, name=" ", granted_by="", date=timezone.localdate() + timedelta(1)
        )
    assert set(exc.value.message_dict) == {"name", "granted_by", "date"}
    with pytest.raises(ValidationError) as exc:
        award(world.east_officer, volunteer, name="名" * 201, date=None)
    assert set(exc.value.message_dict) == {"name", "date"}
    assert not Award.objects.exists()
    award(world.east_officer, volunteer)
    with pytest.raises(Refused):  # the same award entered twice
        award(world.east_officer, volunteer)


def test_evaluations_are_given_in_the_name_of_a_unit_the_volunteer_belongs_to(world, volunteer, team_leader):
    assert list(evaluation_organizations(user=team_leader, volunteer=volunteer)) == [world.east_team]
    assert set(evaluation_organizations(user=world.admin, volunteer=volunteer)) == {
        world.city,
        world.east,
        world.east_team,
    }
    e = evaluation_record(
        by=team_leader, volunteer=volunteer, organization=world.east_team, rating=4, date=DAY, note="认真负责"
    )
    assert (e.rating, e.get_rating_display(), e.organization) == (4, "优秀", world.east_team)
    with pytest.raises(ValidationError) as exc:
        evaluation_record(
            by=team_leader, volunteer=volunteer, organization=world.west_team, rating=7, date=None
        )
    assert set(exc.value.message_dict) == {"organization", "rating", "date"}
    unrelated = OrganizationFactory(name="无关队", kind=Kind.TEAM, parent=world.east)
    with pytest.raises(ValidationError, match="所属"):
        evaluation_record(
            by=world.east_officer, volunteer=volunteer, organization=unrelated, rating=3, date=DAY
        )
    with pytest.raises(access.PermissionDenied):
        evaluation_record(
            by=world.west_officer, volunteer=volunteer, organization=world.west, rating=3, date=DAY
        )
    assert Evaluation.objects.count() == 1


# --- pages ---------------------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_recognition_page_finds_records_and_lists(world, volunteer):
    client = _client(world.east_officer)
    page = client.get("/app/hours/recognition/", {"q": volunteer.number})
    assert page.status_code == 200 and volunteer.number in page.content.decode()
    url = f"/app/hours/recognition/{volunteer.number}/"
    bad = client.post(url, {"form": "award", "award-name": "", "award-date": "x", "award-granted_by": ""})
    assert bad.status_code == 200 and not Award.objects.exists()
    assert bad.content.decode().count('class="error"') == 3
    done = client.post(
        url,
        {
            "form": "award",
            "award-name": "五星志愿者",
            "award-date": "2026-10-01",
            "award-granted_by": "市文明办",
        },
    )
    assert done.status_code == 302 and Award.objects.get().name == "五星志愿者"
    done = client.post(
        url,
        {
            "form": "evaluation",
            "evaluation-organization": world.east.pk,
            "evaluation-rating": "3",
            "evaluation-date": "2026-10-02",
            "evaluation-note": "",
        },
    )
    assert done.status_code == 302 and Evaluation.objects.get().rating == 3
    shown = client.get(url).content.decode()
    assert "五星志愿者" in shown and "良好" in shown


def test_recognition_pages_are_scoped(world, volunteer):
    url = f"/app/hours/recognition/{volunteer.number}/"
    west = _client(world.west_officer)
    assert west.get(url).status_code == 404
    assert west.post(url, {"form": "award"}).status_code == 404
    # a grid head may see the volunteer but not record for them
    viewer = MembershipFactory(organization=world.east, role=Role.GRID_HEAD).user
    viewer_client = _client(viewer)
    assert viewer_client.get(url).status_code == 200
    assert (
        viewer_client.post(
            url, {"form": "award", "award-name": "x", "award-date": "2026-10-01", "award-granted_by": "y"}
        ).status_code
        == 403
    )
    plain = MembershipFactory(organization=world.east_team, role=Role.MEMBER).user
    assert _client(plain).get("/app/hours/recognition/").status_code == 403
    assert not Award.objects.exists()


def test_recognition_list_queries_do_not_grow(world, django_assert_max_num_queries):
    client = _client(world.east_officer)

    def fill(n, start):
        for v in bulk_volunteers(world.east, n, start=start, prefix="列表"):
            Award.objects.create(volunteer=v, name="优秀", date=DAY, granted_by="市", recorded_by=world.admin)
            Evaluation.objects.create(
                volunteer=v, organization=world.east, rating=4, date=DAY, recorded_by=world.admin
            )

    fill(2, 0)
    with django_assert_max_num_queries(12) as small:
        assert client.get("/app/hours/recognition/").status_code == 200
    fill(30, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/app/hours/recognition/").status_code == 200


def test_my_hours_shows_my_awards_and_evaluations_read_only(world, volunteer):
    award(world.east_officer, volunteer, name="最美志愿者")
    evaluation_record(by=world.east_officer, volunteer=volunteer, organization=world.east, rating=2, date=DAY)
    page = _client(volunteer.user).get("/app/me/hours/").content.decode()
    assert "最美志愿者" in page and "一般" in page and world.east.name in page
    assert "award-name" not in page


# --- API -------------------------------------------------------------------------------------------------


def test_api_creates_lists_and_scopes(world, volunteer, api_as):
    east, west = api_as(world.east_officer), api_as(world.west_officer)
    body = {
        "volunteer_number": volunteer.number,
        "name": "优秀志愿者",
        "date": "2026-10-01",
        "granted_by": "市",
    }
    created = east.post("/awards", body)
    assert created.status_code == 201 and created.json()["volunteer_number"] == volunteer.number
    assert east.post("/awards", body).status_code == 409
    assert west.post("/awards", body).status_code == 404  # the volunteer is outside the west's scope
    assert east.post("/awards", {**body, "extra": 1}).status_code == 422
    bad = east.post("/awards", {**body, "name": " ", "granted_by": " ", "date": "2999-01-01"})
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {
        "name",
        "granted_by",
        "date",
    }
    evaluation = {"volunteer_number": volunteer.number, "organization_id": world.east.pk, "rating": 4}
    assert east.post("/evaluations", {**evaluation, "date": "2026-10-01"}).status_code == 201
    wrong = east.post("/evaluations", {**evaluation, "organization_id": world.west.pk, "date": "2026-10-01"})
    assert wrong.status_code == 422
    viewer = api_as(MembershipFactory(organization=world.east, role=Role.GRID_HEAD).user)
    assert viewer.post("/evaluations", {**evaluation, "date": "2026-10-01"}).status_code == 403
    listed = east.get(f"/awards?volunteer={volunteer.number}").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "优秀志愿者"
    assert west.get("/awards").json() == {"items": [], "count": 0}
    assert west.get("/evaluations").json() == {"items": [], "count": 0}
    assert west.get(f"/awards?volunteer={volunteer.number}").status_code == 404
    mine = api_as(volunteer.user).get("/me/recognition").json()
    assert [a["name"] for a in mine["awards"]] == ["优秀志愿者"]
    assert mine["evaluations"][0]["rating_label"] == "优秀"


def test_api_lists_have_constant_queries(world, api_as, django_assert_max_num_queries):
    east = api_as(world.east_officer)
    for size, start in ((2, 0), (25, 100)):
        for v in bulk_volunteers(world.east, size, start=start, prefix="接口"):
            Award.objects.create(volunteer=v, name="优秀", date=DAY, granted_by="市", recorded_by=world.admin)
            Evaluation.objects.create(
                volunteer=v, organization=world.east, rating=4, date=DAY, recorded_by=world.admin
            )
        with django_assert_max_num_queries(6):
            assert len(east.get("/awards?limit=100").json()["items"]) == Award.objects.count()
        with django_assert_max_num_queries(6):
            assert len(east.get("/evaluations?limit=100").json()["items"]) == Evaluation.objects.count()
