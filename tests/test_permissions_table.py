"""The per-domain permission table (core.permissions) and the checks that read it."""

import re
from datetime import date
from pathlib import Path

import pytest

from tests.factories import MembershipFactory, OrganizationFactory
from zhiyuan.campaigns.services.campaigns import campaign_create
from zhiyuan.core import access
from zhiyuan.core.permissions import PERMISSIONS, ROLE_PERMS, grantable_roles
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Perm, Role

SRC = Path(__file__).resolve().parents[1] / "src" / "zhiyuan"
DOMAINS = [
    "organisations",
    "people",
    "campaigns",
    "stations",
    "shifts",
    "attendance",
    "hours",
    "certificates",
    "reports",
    "outreach",
    "community",
]


def test_the_table_has_one_section_per_domain_and_names_every_permission_once():
    assert list(PERMISSIONS) == DOMAINS
    listed = [perm for domain in PERMISSIONS.values() for perm in domain]
    assert sorted(listed) == sorted(Perm.values)
    assert len(listed) == len(set(listed))
    # every name a holder in the table is a real role
    assert {r for d in PERMISSIONS.values() for holders in d.values() for r in holders} <= set(Role.values)


# What each demo role may do, written out by hand: a change to the table must change this on purpose.
EXPECTED = {
    Role.VOLUNTEER: {"org.view", "member.view", "station.view", "shift.view"},
    Role.LIAISON: {
        "org.view",
        "member.view",
        "contact.view",
        "contact.change",
        "campaign.view",
        "station.view",
        "shift.view",
        "report.view",
        "report.submit",
        "outreach.view",
        "ticket.collect",
        "community.view",
    },
    Role.GRID_HEAD: {
        "org.view",
        "member.view",
        "member.change",
        "contact.view",
        "volunteer.view",
        "campaign.view",
        "station.view",
        "shift.view",
        "attendance.view",
        "hours.view",
        "community.view",
    },
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_a_roles_grants_are_what_the_table_says(role):
    assert ROLE_PERMS[role] == EXPECTED[role]


def test_only_the_officer_runs_campaigns_holidays_hour_settings_and_report_review():
    for perm in (Perm.CAMPAIGN_CHANGE, Perm.HOLIDAY_CHANGE, Perm.HOURS_SETTINGS, Perm.REPORT_REVIEW):
        assert sorted(r for r, perms in ROLE_PERMS.items() if perm in perms) == ["admin", "officer"], perm
    # a team leader keeps the day-to-day: shifts, check-ins, hours, certificates
    for perm in (
        Perm.SHIFT_CHANGE,
        Perm.SHIFT_ASSIGN,
        Perm.ATTENDANCE_CHANGE,
        Perm.HOURS_APPROVE,
        Perm.CERTIFICATE_ISSUE,
        Perm.STATION_OPERATE,
    ):
        assert perm in ROLE_PERMS[Role.LEADER], perm


def test_each_permission_reaches_down_its_holders_subtree_and_nowhere_else(world):
    below = OrganizationFactory(parent=world.east_team, kind=Kind.TEAM)
    users = {role: MembershipFactory(organization=world.east, role=role).user for role in Role.values}
    for perm in Perm.values:
        for role, user in users.items():
            holds = perm in ROLE_PERMS[role]
            assert access.can(user, perm, below) == holds, (perm, role)
            assert access.can(user, perm, world.east) == holds, (perm, role)
            assert not access.can(user, perm, world.west_team), (perm, role)
            assert not access.can(user, perm, world.city), (perm, role)
        assert access.can(world.admin, perm, world.west_team)
    # child.reveal is no role's but the platform admin's
    assert [r for r, perms in ROLE_PERMS.items() if Perm.CHILD_REVEAL in perms] == [Role.ADMIN]


def test_nobody_may_appoint_a_role_that_gives_more_than_they_hold():
    for role, perms in ROLE_PERMS.items():
        assert role in grantable_roles(perms)
        for granted in grantable_roles(perms):
            assert ROLE_PERMS[granted] <= perms
    # a unit's 具体负责人 can appoint its 联络员, a liaison appoints nobody who manages
    assert Role.LIAISON in grantable_roles(ROLE_PERMS[Role.PERSON_IN_CHARGE])
    assert Role.LEADER not in grantable_roles(ROLE_PERMS[Role.LIAISON])


def test_a_team_leader_may_no_longer_start_a_campaign_and_an_officer_may(world):
    leader = MembershipFactory(organization=world.east, role=Role.LEADER).user
    with pytest.raises(access.PermissionDenied):
        campaign_create(
            by=leader,
            organizer=world.east,
            slug="x-2027",
            title="x",
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 2, 1),
        )
    made = campaign_create(
        by=world.east_officer,
        organizer=world.east,
        slug="x-2027",
        title="春运2027",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 2, 1),
    )
    assert made.pk


# The broad names keep their own domain only: a campaign, shift, station, check-in, hour or certificate
# check written with them would hand that power to everyone who manages people or organisations.
BROAD_OUTSIDE_THEIR_DOMAIN = {
    "Perm.ORG_CHANGE": ["campaigns", "hours", "people"],
    "Perm.VOLUNTEER_CHANGE": ["campaigns", "hours"],
    "Perm.VOLUNTEER_VIEW": ["campaigns", "hours"],
}


@pytest.mark.parametrize("name", list(BROAD_OUTSIDE_THEIR_DOMAIN))
def test_no_shift_station_campaign_or_hours_check_uses_a_broad_permission(name):
    found = []
    for app in BROAD_OUTSIDE_THEIR_DOMAIN[name]:
        for path in (SRC / app).rglob("*.py"):
            text = path.read_text()
            found += [
                f"{path.relative_to(SRC)}:{m.start()}" for m in re.finditer(re.escape(name) + r"\b", text)
            ]
    assert found == []
