"""Which role holds which permission: one literal table, per domain, read by `core.access`.

A role held at an organisation grants its permissions in that organisation's whole subtree (see
docs/access.md). The platform `admin` holds every permission and is not listed. To change what a role may
do, edit its line here and the access tests (tests/test_permissions_table.py) that pin the table.
"""

from __future__ import annotations

from zhiyuan.organizations.roles import Perm, Role

# Who is who. Spelled out once so the table below stays readable.
# 文明办 staff
_OFFICER = (Role.OFFICER,)
# leaders of a 支队/中队 and its office
_TEAM_LEADS = (
    Role.LEADER,
    Role.SQUADRON_LEADER,
    Role.DEPUTY_SQUADRON_LEADER,
    Role.OFFICE_DIRECTOR,
    Role.OFFICE_DEPUTY,
)
# a unit's 主管领导 and 具体负责人 (attachment 2)
_UNIT_HEADS = (Role.LEADER_IN_CHARGE, Role.PERSON_IN_CHARGE)
_MANAGERS = (*_OFFICER, *_TEAM_LEADS, *_UNIT_HEADS)
# a unit's 联络员 and 信息上报人员: they keep the contact sheet and report, they do not manage people
_UNIT_CONTACTS = (Role.LIAISON, Role.REPORTER)
# 网格长 / 楼栋长 / 楼层长 look after the people of their grid, building or floor
_GRID_HEADS = (Role.GRID_HEAD, Role.BUILDING_HEAD, Role.FLOOR_HEAD)
# plain members and volunteers: their own shifts, hours and certificates come from being themselves
_RANK_AND_FILE = (Role.MEMBER, Role.VOLUNTEER)
_EVERYONE = (*_MANAGERS, *_UNIT_CONTACTS, *_GRID_HEADS, *_RANK_AND_FILE)
# the units that publish hotlines, run venues and give tickets
_OUTREACH_UNITS = (Role.OFFICER, Role.LEADER_IN_CHARGE, Role.PERSON_IN_CHARGE, Role.OFFICE_DIRECTOR)

PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "organisations": {
        Perm.ORG_VIEW: _EVERYONE,
        Perm.ORG_CHANGE: _MANAGERS,
        Perm.MEMBER_VIEW: _EVERYONE,
        Perm.MEMBER_CHANGE: (*_MANAGERS, *_GRID_HEADS),
        Perm.CONTACT_VIEW: (*_MANAGERS, *_UNIT_CONTACTS, *_GRID_HEADS),
        Perm.CONTACT_CHANGE: (*_MANAGERS, *_UNIT_CONTACTS),
        Perm.AUDIT_VIEW: _MANAGERS,
    },
    "people": {
        Perm.VOLUNTEER_VIEW: (*_MANAGERS, *_GRID_HEADS),
        Perm.VOLUNTEER_CHANGE: _MANAGERS,
        Perm.PERSON_REVEAL: _OFFICER,
        Perm.RECRUITMENT_CHANGE: _MANAGERS,
        Perm.TRAINING_CHANGE: _MANAGERS,
    },
    "campaigns": {
        Perm.CAMPAIGN_VIEW: (*_MANAGERS, *_UNIT_CONTACTS, *_GRID_HEADS),
        # a campaign, its rotation and its deadline rules are the 文明办's
        Perm.CAMPAIGN_CHANGE: _OFFICER,
        # the responsible unit files and completes its 集中服务 day
        Perm.DUTY_CHANGE: _MANAGERS,
        Perm.HOLIDAY_CHANGE: _OFFICER,
    },
    "stations": {
        # a linked team's members see its station: they report incidents there
        Perm.STATION_VIEW: _EVERYONE,
        Perm.STATION_CHANGE: _MANAGERS,
        # supplies, the ledger, incidents: the station's office and the leaders of its linked teams
        Perm.STATION_OPERATE: _MANAGERS,
    },
    "shifts": {
        Perm.SHIFT_VIEW: _EVERYONE,
        Perm.SHIFT_CHANGE: _MANAGERS,
        Perm.SHIFT_ASSIGN: _MANAGERS,
    },
    "attendance": {
        Perm.ATTENDANCE_VIEW: (*_MANAGERS, *_GRID_HEADS),
        Perm.ATTENDANCE_CHANGE: _MANAGERS,
    },
    "hours": {
        Perm.HOURS_VIEW: (*_MANAGERS, *_GRID_HEADS),
        Perm.HOURS_APPROVE: _MANAGERS,
        # quotas, star thresholds and caps hold city-wide
        Perm.HOURS_SETTINGS: _OFFICER,
        Perm.RECOGNITION_CHANGE: _MANAGERS,
    },
    "certificates": {
        Perm.CERTIFICATE_ISSUE: _MANAGERS,
    },
    "reports": {
        Perm.REPORT_VIEW: (*_MANAGERS, *_UNIT_CONTACTS),
        Perm.REPORT_SUBMIT: (*_MANAGERS, *_UNIT_CONTACTS),
        Perm.REPORT_REVIEW: _OFFICER,
    },
    "outreach": {
        Perm.OUTREACH_VIEW: (*_OUTREACH_UNITS, *_UNIT_CONTACTS),
        Perm.OUTREACH_CHANGE: _OUTREACH_UNITS,
        # liaisons and reporters staff the counter where claimed tickets are handed over
        Perm.TICKET_COLLECT: (*_OUTREACH_UNITS, *_UNIT_CONTACTS),
    },
    "community": {
        Perm.COMMUNITY_VIEW: (*_MANAGERS, *_UNIT_CONTACTS, *_GRID_HEADS),
        Perm.COMMUNITY_CHANGE: _MANAGERS,
        # children's personal data is no role grant: the pairing's responsible officer sees it, and the
        # platform admin (who holds everything)
        Perm.CHILD_REVEAL: (),
    },
}

ROLE_PERMS: dict[str, frozenset[str]] = {
    role: frozenset(
        perm for domain in PERMISSIONS.values() for perm, holders in domain.items() if role in holders
    )
    for role in Role
}
ROLE_PERMS[Role.ADMIN] = frozenset(Perm.values)


def grantable_roles(held: frozenset[str]) -> list[str]:
    """Roles someone holding `held` may hand out: never one that would give more than they have."""
    return [role for role, perms in ROLE_PERMS.items() if perms <= held]


def roles_granting(perm: str) -> list[str]:
    return [role for role, perms in ROLE_PERMS.items() if perm in perms]
