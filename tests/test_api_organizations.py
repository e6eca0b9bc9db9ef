import json

import pytest
from django.core.management import call_command

from tests.conftest import Api
from tests.factories import MembershipFactory, OrganizationFactory, UnitContactFactory
from zhiyuan.organizations.models import Membership, Organization, UnitContact
from zhiyuan.organizations.roles import Role


def test_healthz_reports_the_database(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    assert client.get("/api/v1/healthz").json() == {"status": "ok", "database": "ok"}


def test_openapi_is_published(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/organizations" in spec["paths"]


def test_no_token_no_data(client, world):
    assert client.get("/api/v1/organizations").status_code == 401
    bad = client.get("/api/v1/organizations", HTTP_AUTHORIZATION="Bearer zy_nope")
    assert bad.status_code == 401


def test_create_token_command_prints_a_working_token(world, capsys, client):
    call_command("create_token", user=world.east_officer.username)
    token = capsys.readouterr().out.strip()
    response = client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_list_is_scoped_and_paginated(world):
    api = Api(world.east_officer)
    body = api.get("/organizations").json()
    assert body["count"] == 2
    assert {o["name"] for o in body["items"]} == {"郑东新区文明办", "青年志愿服务队（东）"}
    page = api.get("/organizations?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_list_filters_by_search_kind_and_parent(world):
    api = Api(world.admin)
    assert [o["name"] for o in api.get("/organizations?search=zdxq").json()["items"]] == ["郑东新区文明办"]
    assert api.get("/organizations?search=zhengdong").json()["count"] == 1
    assert {o["name"] for o in api.get("/organizations?kind=team").json()["items"]} == {
        "青年志愿服务队（东）",
        "巾帼志愿服务队（西）",
    }
    children = api.get(f"/organizations?parent={world.city.pk}").json()
    assert {o["name"] for o in children["items"]} == {"郑东新区文明办", "中原区文明办"}


def test_create_update_and_delete_an_organisation(world):
    api = Api(world.east_officer)
    created = api.post(
        "/organizations", {"name": "郑东新区 青年突击队", "kind": "team", "parent_id": world.east.pk}
    )
    assert created.status_code == 201, created.content
    org_id = created.json()["id"]
    assert created.json()["parent_name"] == "郑东新区文明办"
    patched = api.patch(f"/organizations/{org_id}", {"address": "郑东新区某路1号", "phone": "037167186891"})
    assert patched.status_code == 200
    assert patched.json()["phone"] == "0371-67186891"
    assert api.delete(f"/organizations/{org_id}").status_code == 204
    assert not Organization.objects.filter(pk=org_id).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "x", "kind": "team", "parent_id": 0, "colour": "red"},  # unknown field
        {"name": "x", "kind": "spaceship"},  # unknown kind
        {"kind": "team"},  # name missing
        {"name": "x", "kind": "team", "parent_id": "abc"},  # malformed id
    ],
)
def test_unknown_or_malformed_fields_are_422_with_field_errors(world, payload):
    response = Api(world.admin).post("/organizations", payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"]


def test_domain_validation_is_422_with_the_field_named(world):
    api = Api(world.admin)
    response = api.post(
        "/organizations", {"name": "x", "kind": "team", "parent_id": world.east.pk, "phone": "123"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "phone"]
    cycle = api.patch(f"/organizations/{world.east.pk}", {"parent_id": world.east_team.pk})
    assert cycle.status_code == 422
    assert "下级" in cycle.json()["detail"][0]["msg"]


def test_delete_with_children_or_members_is_409_and_keeps_everything(world):
    api = Api(world.admin)
    response = api.delete(f"/organizations/{world.east.pk}")
    assert response.status_code == 409
    assert "下级组织" in response.json()["detail"]
    assert Organization.objects.filter(pk=world.east.pk).exists()


def test_a_member_without_change_permission_gets_403(world):
    member = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    response = Api(member).patch(f"/organizations/{world.east_team.pk}", {"address": "x"})
    assert response.status_code == 403


def test_referencing_another_subtree_in_a_body_is_a_field_error_not_a_leak(world):
    api = Api(world.east_officer)
    response = api.post("/organizations", {"name": "x", "kind": "team", "parent_id": world.west.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "parent_id"]
    assert "中原区" not in response.content.decode()


def test_memberships_by_person_and_by_user(world):
    api = Api(world.east_officer)
    made = api.post(
        "/memberships",
        {
            "organization_id": world.east_team.pk,
            "role": "member",
            "person": {"full_name": "张某明", "mobile": "13800000001"},
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["user_mobile"] == "138****0001"  # personal data masked in lists
    again = api.post(
        "/memberships",
        {
            "organization_id": world.east.pk,
            "role": "liaison",
            "user_id": made.json()["user_id"],
            "title": "联络员",
        },
    )
    assert again.status_code == 201
    duplicate = api.post(
        "/memberships",
        {"organization_id": world.east.pk, "role": "liaison", "user_id": made.json()["user_id"]},
    )
    assert duplicate.status_code == 422
    listed = api.get(f"/memberships?organization={world.east.pk}&role=liaison").json()
    assert listed["count"] == 1
    changed = api.patch(f"/memberships/{again.json()['id']}", {"role": "reporter"})
    assert changed.json()["role_label"] == "信息上报人员"
    assert api.delete(f"/memberships/{again.json()['id']}").status_code == 204


def test_contacts_follow_attachment_2(world):
    api = Api(world.east_officer)
    made = api.post(
        "/contacts",
        {
            "organization_id": world.east.pk,
            "category": "liaison",
            "name": "王 某",
            "title": "科员",
            "office_phone": "0371 6718 6891",
            "mobile": "13800000002",
        },
    )
    assert made.status_code == 201, made.content
    assert made.json() | {"id": 0, "updated_at": None} == made.json() | {
        "organization_name": "郑东新区文明办",
        "category_label": "联络员",
        "name": "王某",
        "office_phone": "0371-67186891",
        "mobile": "13800000002",
        "id": 0,
        "updated_at": None,
    }
    second = api.post(
        "/contacts",
        {"organization_id": world.east.pk, "category": "liaison", "name": "李某", "mobile": "13800000003"},
    )
    assert second.status_code == 422
    no_phone = api.post(
        "/contacts", {"organization_id": world.east.pk, "category": "reporter", "name": "李某"}
    )
    assert no_phone.status_code == 422
    landline_as_mobile = api.patch(f"/contacts/{made.json()['id']}", {"mobile": "67186891"})
    assert landline_as_mobile.status_code == 422
    assert landline_as_mobile.json()["detail"][0]["loc"] == ["body", "mobile"]


# Every object endpoint, asked by an officer of the other subtree: 404, never 403, never data.
OBJECT_ENDPOINTS = [
    ("get", "/organizations/{org}"),
    ("patch", "/organizations/{org}"),
    ("delete", "/organizations/{org}"),
    ("get", "/memberships/{membership}"),
    ("patch", "/memberships/{membership}"),
    ("delete", "/memberships/{membership}"),
    ("get", "/contacts/{contact}"),
    ("patch", "/contacts/{contact}"),
    ("delete", "/contacts/{contact}"),
]


@pytest.mark.parametrize(("method", "template"), OBJECT_ENDPOINTS)
def test_cross_organisation_access_is_404(world, method, template):
    membership = MembershipFactory(organization=world.east_team, role=Role.MEMBER, title="队员")
    contact = UnitContactFactory(organization=world.east_team)
    path = template.format(org=world.east_team.pk, membership=membership.pk, contact=contact.pk)
    before = (Organization.objects.count(), Membership.objects.count(), UnitContact.objects.count())
    api = Api(world.west_officer)
    if method == "patch":
        response = api.patch(path, {"address": "x"} if "organizations" in path else {"title": "x"})
    else:
        response = getattr(api, method)(path)
    assert response.status_code == 404
    assert "东" not in json.dumps(response.json(), ensure_ascii=False)
    assert before == (Organization.objects.count(), Membership.objects.count(), UnitContact.objects.count())
    assert Membership.objects.get(pk=membership.pk).title == "队员"


@pytest.mark.parametrize("path", ["/memberships", "/contacts", "/organizations"])
def test_cross_organisation_lists_leak_nothing(world, path):
    MembershipFactory(organization=world.east_team)
    UnitContactFactory(organization=world.east_team)
    items = Api(world.west_officer).get(path).json()["items"]
    assert all("东" not in json.dumps(item, ensure_ascii=False) for item in items)


def test_cross_organisation_creation_targets_are_hidden(world):
    api = Api(world.west_officer)
    for path, payload in [
        ("/memberships", {"organization_id": world.east.pk, "role": "member", "person": {"full_name": "某"}}),
        (
            "/contacts",
            {"organization_id": world.east.pk, "category": "liaison", "name": "某", "mobile": "13800000009"},
        ),
    ]:
        response = api.post(path, payload)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "organization_id"]


@pytest.mark.parametrize("size", [10, 1000])
def test_organisation_list_query_count_does_not_grow(world, size, django_assert_max_num_queries):
    agency = OrganizationFactory(parent=world.city, kind="agency")
    for i in range(size):
        org = OrganizationFactory(parent=world.east, kind="brigade", parent_agency=agency, name=f"支队{i}")
        if i % 3 == 0:
            org.co_agencies.add(agency)
            MembershipFactory(organization=org)
    api = Api(world.east_officer)
    # auth (token + last_used) + grants + count + page + co-agency prefetch
    with django_assert_max_num_queries(6):
        body = api.get("/organizations?limit=100").json()
    assert body["count"] == size + 2


@pytest.mark.parametrize("size", [10, 1000])
def test_membership_and_contact_lists_query_count_does_not_grow(world, size, django_assert_max_num_queries):
    for _ in range(size):
        MembershipFactory(organization=world.east_team)
    api = Api(world.east_officer)
    with django_assert_max_num_queries(5):
        assert api.get("/memberships?limit=100").json()["count"] == size + 1
    with django_assert_max_num_queries(5):
        api.get("/contacts?limit=100")


def test_nobody_grants_a_role_stronger_than_their_own(world):
    grid = OrganizationFactory(parent=world.east, kind="grid", name="经三路网格")
    head = MembershipFactory(organization=grid, role=Role.GRID_HEAD).user
    api = Api(head)
    # a 网格长 may add a 楼层长-level helper or a member …
    member = api.post(
        "/memberships", {"organization_id": grid.pk, "role": "member", "person": {"full_name": "某甲"}}
    )
    assert member.status_code == 201
    # … but not an officer, not even by changing an existing role
    officer = api.post("/memberships", {"organization_id": grid.pk, "role": "officer", "user_id": head.pk})
    assert officer.status_code == 403
    assert api.patch(f"/memberships/{member.json()['id']}", {"role": "officer"}).status_code == 403
    assert not Membership.objects.filter(organization=grid, role="officer").exists()
