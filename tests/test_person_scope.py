"""Attaching a person to a unit (issue 14 item 1): only people the actor may already see.

The attack: an officer of one district posts a membership in their own team for a volunteer of a sibling
district, by sequential user id, and then reads that volunteer's full record and roster export."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.organizations.models import Membership
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Application, Recruitment


@pytest.fixture
def west_volunteer(world):
    return bulk_volunteers(world.west, 1, prefix="西区")[0]


def test_the_membership_attack_is_404_and_writes_nothing(world, west_volunteer, client):
    # given an officer of 郑东新区 and a volunteer of 中原区 whose user id they guessed
    api = Api(world.east_officer)
    before = Membership.objects.count()
    # when they attach that volunteer to their own team by id
    response = api.post(
        "/memberships",
        {"organization_id": world.east_team.pk, "role": "volunteer", "user_id": west_volunteer.user_id},
    )
    # then the person does not exist for them, and nothing was written or revealed
    assert response.status_code == 404
    assert "西区" not in response.content.decode()
    assert Membership.objects.count() == before
    assert api.get(f"/volunteers/{west_volunteer.number}").status_code == 404
    client.force_login(world.east_officer)
    roster = client.get(f"/app/orgs/{world.east_team.pk}/roster.xlsx?full=1")
    assert west_volunteer.user.mobile.encode() not in roster.content


def test_an_id_that_does_not_exist_answers_like_one_out_of_scope(world, west_volunteer):
    api = Api(world.east_officer)
    payload = {"organization_id": world.east_team.pk, "role": "member"}
    hidden = api.post("/memberships", {**payload, "user_id": west_volunteer.user_id})
    missing = api.post("/memberships", {**payload, "user_id": 10**9})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_by_name_and_mobile_a_person_of_another_district_is_refused(world, west_volunteer):
    person = {"full_name": west_volunteer.user.full_name, "mobile": west_volunteer.user.mobile}
    response = Api(world.east_officer).post(
        "/memberships", {"organization_id": world.east_team.pk, "role": "member", "person": person}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "mobile"
    assert not Membership.objects.filter(user=west_volunteer.user).exists()


def test_people_in_scope_or_who_applied_can_be_attached(world, west_volunteer):
    api = Api(world.east_officer)
    own = bulk_volunteers(world.east, 1, start=100, prefix="东区")[0]
    made = api.post(
        "/memberships", {"organization_id": world.east_team.pk, "role": "volunteer", "user_id": own.user_id}
    )
    assert made.status_code == 201, made.content
    # a volunteer of 中原区 who applied to the east team's recruitment may be taken in by that team
    recruitment = Recruitment.objects.create(
        organization=world.east_team,
        title="春运志愿者招募",
        content="火车站引导",
        starts_on="2026-12-01",
        ends_on="2027-02-28",
        location="郑州火车站东广场",
        wanted=10,
        team=world.east_team,
        hours_recorder=world.east_team,
        deadline="2026-11-30T12:00:00+08:00",
        created_by=world.east_officer,
    )
    Application.objects.create(recruitment=recruitment, volunteer=west_volunteer)
    taken = api.post(
        "/memberships",
        {"organization_id": world.east_team.pk, "role": "volunteer", "user_id": west_volunteer.user_id},
    )
    assert taken.status_code == 201, taken.content


def test_members_of_the_other_district_stay_hidden_even_as_plain_accounts(world):
    stranger = MembershipFactory(organization=world.west_team, role=Role.MEMBER).user
    response = Api(world.east_officer).post(
        "/memberships", {"organization_id": world.east_team.pk, "role": "member", "user_id": stranger.pk}
    )
    assert response.status_code == 404
