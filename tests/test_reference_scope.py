"""Every API operation that takes a user, volunteer or organisation id in its body or query string, asked by an
officer of the sibling district with the other district's ids (issue 14 item 1). Beside the URL-id matrix
(test_api_organizations.OBJECT_ENDPOINTS): an id in a body or a query is scoped like an id in the URL.

The operations are discovered from the OpenAPI document, so one added later without a case here fails."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Api
from tests.factories import MembershipFactory, UnitContactFactory
from tests.people_helpers import bulk_volunteers
from tests.test_api_contract import spec
from zhiyuan.organizations.models import Membership, UnitContact
from zhiyuan.organizations.roles import Role

# names of body fields and query parameters that point at a person or an organisation
REFERENCE = re.compile(
    r"^(user_id|person|volunteer|volunteer_number|to_volunteer|volunteer_ids|organization|organization_id|"
    r"home_organization_id|team|team_id|team_ids|district|district_id|unit|office|organizer_id|"
    r"responsible_office_id)$"
)

# query references checked here generically: (extra query string the call needs, or "")
QUERY = {
    ("get", "/memberships"): "",
    ("get", "/contacts"): "",
    ("get", "/volunteers"): "",
    ("get", "/stations"): "",
    ("get", "/shifts"): "",
    ("get", "/compliance"): "",
    ("get", "/awards"): "",
    ("get", "/evaluations"): "",
    ("get", "/rankings"): "",
    ("get", "/reports"): "",
    ("get", "/scoreboard"): "",
    ("get", "/scoreboard/heatmap"): "",
    ("get", "/community/visits"): "",
    ("get", "/campaigns/{slug}/duties"): "covered",
}

# body references checked here (see the scenarios below)
BODY = {
    ("post", "/memberships"),
    ("post", "/contacts"),
    ("post", "/volunteers"),
    ("post", "/awards"),
    ("post", "/evaluations"),
    ("post", "/volunteers/search"),
}

# fields the pattern matches that are not references
NOT_REFERENCES = {
    ("post", "/stations/{station_id}/stock"): "unit is a unit of measure (个、箱)",
}

# body references whose cross-scope case is a test elsewhere (it needs a shift, a child, a campaign …)
ELSEWHERE = {
    ("post", "/register"): "tests/test_people_api.py",  # public: any district's 文明办 may be one's home
    (
        "post",
        "/campaigns",
    ): "tests/test_campaign_writes.py::test_ids_in_the_body_are_scoped_like_ids_in_the_url",
    (
        "patch",
        "/campaigns/{slug}",
    ): "tests/test_campaign_writes.py::test_ids_in_the_body_are_scoped_like_ids_in_the_url",
    ("post", "/recruitments"): "tests/test_recruitment.py",
    ("patch", "/recruitments/{recruitment_id}"): "tests/test_recruitment.py",
    (
        "post",
        "/training/courses",
    ): "tests/test_training_pages.py::test_another_districts_training_is_not_found_through_the_api",
    ("patch", "/training/courses/{course_id}"): "tests/test_training.py",
    ("get", "/campaigns/{slug}/duties"): "tests/test_duties.py::test_pages_and_api_scope_the_campaign",
    ("post", "/stations"): "tests/test_stations.py",
    ("patch", "/stations/{station_id}"): "tests/test_stations.py",
    ("post", "/shifts"): "tests/test_shifts.py",
    ("patch", "/shifts/{shift_id}"): "tests/test_shifts.py",
    ("post", "/shifts/{shift_id}/signups/assign"): "tests/test_shifts.py",
    ("post", "/signups/{signup_id}/swaps"): "tests/test_shifts.py",
    ("post", "/recurring-shifts"): "tests/test_shifts.py",
    (
        "post",
        "/checkins",
    ): "tests/test_checkin.py::test_a_leader_records_for_a_booked_volunteer_through_the_api_scoped",
    ("post", "/me/self-reports"): "tests/test_self_reports.py",
    (
        "post",
        "/shifts/{shift_id}/attendance",
    ): "tests/test_attendance.py::test_the_api_board_and_bulk_are_scoped",
    ("post", "/reports"): "tests/test_reporting_api.py::test_opening_for_another_unit_is_not_found_or_denied",
    (
        "post",
        "/community/visits",
    ): "tests/test_community_pages.py::test_visits_and_needs_stay_in_scope_on_pages_and_api",
    ("post", "/community/children"): "tests/test_pairing.py",
    ("post", "/community/children/{child_id}/pairings"): "tests/test_pairing.py",
    ("post", "/community/donations"): "tests/test_pairing.py",
    ("post", "/community/events"): "tests/test_events.py",
    ("post", "/outreach/channels"): "tests/test_outreach.py::test_the_officer_api_is_scoped",
    ("post", "/outreach/venues"): "tests/test_outreach.py::test_the_officer_api_is_scoped",
    ("post", "/outreach/donations"): "tests/test_outreach.py::test_the_officer_api_is_scoped",
}


def _props(components: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _props(components, components[schema["$ref"].split("/")[-1]])
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_props(components, part))
    return found


def referencing_operations() -> dict[tuple[str, str], set[str]]:
    document = spec()
    components = document["components"]["schemas"]
    found: dict[tuple[str, str], set[str]] = {}
    for path, item in document["paths"].items():
        for method, op in item.items():
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            for content in op.get("requestBody", {}).get("content", {}).values():
                names |= set(_props(components, content["schema"]))
            refs = {n for n in names if REFERENCE.match(n)}
            if refs:
                found[(method, path.removeprefix("/api/v1"))] = refs
    return found


def test_every_operation_taking_a_reference_has_a_cross_scope_case():
    found = referencing_operations()
    listed = set(QUERY) | BODY | set(ELSEWHERE) | set(NOT_REFERENCES)
    missing = sorted(set(found) - listed)
    assert not missing, f"add a cross-scope case for: {missing}"
    for target in ELSEWHERE.values():
        file, _, name = target.partition("::")
        source = Path(file).read_text()
        assert not name or f"def {name}(" in source, target


@pytest.fixture
def east_data(world):
    volunteer = bulk_volunteers(world.east, 1, prefix="东区")[0]
    MembershipFactory(user=volunteer.user, organization=world.east_team, role=Role.VOLUNTEER)
    UnitContactFactory(organization=world.east, name="东联络某")
    return volunteer


def _value(name: str, world: Any, volunteer: Any) -> Any:
    if "volunteer" in name:
        return volunteer.number
    if name in ("team", "team_id"):
        return world.east_team.pk
    return world.east.pk


@pytest.mark.parametrize(("method", "path"), sorted(k for k, v in QUERY.items() if v != "covered"))
def test_a_query_naming_the_other_district_shows_nothing_of_it(world, east_data, method, path):
    refs = referencing_operations()[(method, path)]
    query = "&".join(f"{name}={_value(name, world, east_data)}" for name in sorted(refs))
    own = Api(world.east_officer).get(f"{path}?{query}")
    assert own.status_code == 200, own.content  # the call is well formed: its owner gets an answer
    other = Api(world.west_officer).get(f"{path}?{query}")
    assert other.status_code in (200, 404, 422), other.content
    body = json.dumps(other.json(), ensure_ascii=False)
    assert "东" not in body, body[:300]


def test_bodies_naming_the_other_district_are_refused_and_write_nothing(world, east_data):
    api = Api(world.west_officer)
    west_team = world.west_team.pk
    before = (Membership.objects.count(), UnitContact.objects.count())
    cases = [
        ("/memberships", {"organization_id": west_team, "role": "member", "user_id": east_data.user_id}, 404),
        (
            "/memberships",
            {"organization_id": world.east_team.pk, "role": "member", "person": {"full_name": "某"}},
            422,
        ),
        (
            "/contacts",
            {"organization_id": world.east.pk, "category": "reporter", "name": "某", "mobile": "13800000009"},
            422,
        ),
        (
            "/awards",
            {
                "volunteer_number": east_data.number,
                "name": "优秀志愿者",
                "date": "2026-12-01",
                "granted_by": "中原区文明办",
            },
            404,
        ),
        (
            "/evaluations",
            {
                "volunteer_number": east_data.number,
                "organization_id": west_team,
                "rating": 4,
                "date": "2026-12-01",
            },
            404,
        ),
        (
            "/volunteers",
            {
                "organization_id": world.east_team.pk,
                "full_name": "某",
                "mobile": "13800000010",
                "id_type": "resident",
                "id_number": "410105199005171234",
                "consent_evidence": "纸质登记表",
            },
            422,
        ),
    ]
    for path, payload, status in cases:
        response = api.post(path, payload)
        assert response.status_code == status, (path, response.content)
        assert "东" not in response.content.decode(), path
    assert before == (Membership.objects.count(), UnitContact.objects.count())
    searched = api.post("/volunteers/search", {"search": east_data.number, "team": world.east_team.pk})
    assert searched.status_code == 200 and searched.json()["count"] == 0
    own = Api(world.east_officer).post(
        "/volunteers/search", {"search": east_data.number, "team": world.east_team.pk}
    )
    assert own.json()["count"] == 1  # the same search finds them for their own district
