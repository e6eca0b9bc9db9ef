"""Roles people hold in the organisation tree, and what each lets them do in that subtree.

The seeds' titles (中队长, 网格长 …) and the platform roles (admin, officer, leader, volunteer) live in one
list so that `core.access` has a single table to consult.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(models.TextChoices):
    ORG_VIEW = "org.view", _("查看组织")
    ORG_CHANGE = "org.change", _("管理组织")
    MEMBER_VIEW = "member.view", _("查看成员")
    MEMBER_CHANGE = "member.change", _("管理成员")
    CONTACT_VIEW = "contact.view", _("查看联系人")
    CONTACT_CHANGE = "contact.change", _("管理联系人")
    AUDIT_VIEW = "audit.view", _("查看变更记录")
    PERSON_REVEAL = "person.reveal", _("查看完整证件号码")
    VOLUNTEER_VIEW = "volunteer.view", _("查看志愿者")
    VOLUNTEER_CHANGE = "volunteer.change", _("管理志愿者")
    REPORT_VIEW = "report.view", _("查看上报")
    REPORT_SUBMIT = "report.submit", _("填报上报")
    REPORT_REVIEW = "report.review", _("审核上报")
    OUTREACH_VIEW = "outreach.view", _("查看热线、场馆与赠票")
    OUTREACH_CHANGE = "outreach.change", _("管理热线、场馆与赠票")
    TICKET_COLLECT = "ticket.collect", _("核销赠票领取")
    # community outreach (zhiyuan.community): help requests, needs surveys, events, news, pairing
    COMMUNITY_VIEW = "community.view", _("查看求助与外来务工人员服务")
    COMMUNITY_CHANGE = "community.change", _("办理求助、摸排、活动与新闻")
    CHILD_REVEAL = "child.reveal", _("查看所有结对儿童的个人信息")
    # Per-domain permissions (issue 12 item 7). Granted below to whoever held the broad permission they
    # were carved out of, so behaviour is unchanged until each check moves to its own name.
    RECRUITMENT_CHANGE = "recruitment.change", _("管理招募")
    TRAINING_CHANGE = "training.change", _("管理培训")
    CAMPAIGN_VIEW = "campaign.view", _("查看活动")
    CAMPAIGN_CHANGE = "campaign.change", _("管理活动、轮值与上报规则")
    DUTY_CHANGE = "duty.change", _("报备与完成集中服务")
    HOLIDAY_CHANGE = "holiday.change", _("维护节假日安排")
    STATION_VIEW = "station.view", _("查看站点")
    STATION_CHANGE = "station.change", _("管理站点")
    STATION_OPERATE = "station.operate", _("站点值守（物资、台账、突发情况）")
    SHIFT_VIEW = "shift.view", _("查看班次")
    SHIFT_CHANGE = "shift.change", _("管理班次")
    SHIFT_ASSIGN = "shift.assign", _("安排他人上岗与审批换班")
    ATTENDANCE_VIEW = "attendance.view", _("查看签到")
    ATTENDANCE_CHANGE = "attendance.change", _("代为签到签退与核查")
    HOURS_VIEW = "hours.view", _("查看服务时长与达标情况")
    HOURS_APPROVE = "hours.approve", _("审核时长、更正与补录")
    HOURS_SETTINGS = "hours.settings", _("设置时长标准、星级与上限")
    CERTIFICATE_ISSUE = "certificate.issue", _("开具与撤销志愿服务证明")
    RECOGNITION_CHANGE = "recognition.change", _("记录表彰与评价")


class Role(models.TextChoices):
    # platform roles
    ADMIN = "admin", _("平台管理员")
    OFFICER = "officer", _("文明办工作人员")
    LEADER = "leader", _("队长")
    VOLUNTEER = "volunteer", _("志愿者")
    # squadron (seed 001)
    SQUADRON_LEADER = "squadron_leader", _("中队长")
    DEPUTY_SQUADRON_LEADER = "deputy_squadron_leader", _("副中队长")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")
    OFFICE_DEPUTY = "office_deputy", _("办公室副主任")
    MEMBER = "member", _("成员")
    # unit contacts (seed 000, attachment 2)
    LIAISON = "liaison", _("联络员")
    REPORTER = "reporter", _("信息上报人员")
    LEADER_IN_CHARGE = "leader_in_charge", _("主管领导")
    PERSON_IN_CHARGE = "person_in_charge", _("具体负责人")
    # grid network (seed 001)
    GRID_HEAD = "grid_head", _("网格长")
    BUILDING_HEAD = "building_head", _("楼栋长")
    FLOOR_HEAD = "floor_head", _("楼层长")


_VIEW = {Perm.ORG_VIEW, Perm.MEMBER_VIEW, Perm.CONTACT_VIEW}
_MANAGE = _VIEW | {
    Perm.ORG_CHANGE,
    Perm.MEMBER_CHANGE,
    Perm.CONTACT_CHANGE,
    Perm.AUDIT_VIEW,
    Perm.VOLUNTEER_VIEW,
    Perm.VOLUNTEER_CHANGE,
}

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Perm.values),
    Role.OFFICER: frozenset(_MANAGE | {Perm.PERSON_REVEAL}),
    Role.LEADER: frozenset(_MANAGE),
    Role.SQUADRON_LEADER: frozenset(_MANAGE),
    Role.DEPUTY_SQUADRON_LEADER: frozenset(_MANAGE),
    Role.OFFICE_DIRECTOR: frozenset(_MANAGE),
    Role.OFFICE_DEPUTY: frozenset(_MANAGE),
    Role.LEADER_IN_CHARGE: frozenset(_MANAGE),
    Role.PERSON_IN_CHARGE: frozenset(_MANAGE),
    # liaisons keep the unit's contact sheet (attachment 2) and report; they do not manage people
    Role.LIAISON: frozenset(_VIEW | {Perm.CONTACT_CHANGE}),
    Role.REPORTER: frozenset(_VIEW | {Perm.CONTACT_CHANGE}),
    # grid heads look after the people of their grid, building or floor
    Role.GRID_HEAD: frozenset(_VIEW | {Perm.MEMBER_CHANGE, Perm.VOLUNTEER_VIEW}),
    Role.BUILDING_HEAD: frozenset(_VIEW | {Perm.MEMBER_CHANGE, Perm.VOLUNTEER_VIEW}),
    Role.FLOOR_HEAD: frozenset(_VIEW | {Perm.MEMBER_CHANGE, Perm.VOLUNTEER_VIEW}),
    Role.MEMBER: frozenset({Perm.ORG_VIEW, Perm.MEMBER_VIEW}),
    Role.VOLUNTEER: frozenset({Perm.ORG_VIEW, Perm.MEMBER_VIEW}),
}


# Outreach (issue 8): the units that publish channels, run venues and give tickets manage them; liaisons
# and reporters staff the counter where claimed tickets are handed over.
for _role in (Role.OFFICER, Role.LEADER_IN_CHARGE, Role.PERSON_IN_CHARGE, Role.OFFICE_DIRECTOR):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.OUTREACH_VIEW, Perm.OUTREACH_CHANGE, Perm.TICKET_COLLECT}
for _role in (Role.LIAISON, Role.REPORTER):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.OUTREACH_VIEW, Perm.TICKET_COLLECT}


def grantable_roles(held: frozenset[str]) -> list[str]:
    """Roles someone holding `held` may hand out: never one that would give more than they have."""
    return [role for role, perms in ROLE_PERMS.items() if perms <= held]


def roles_granting(perm: str) -> list[str]:
    return [role for role, perms in ROLE_PERMS.items() if perm in perms]


# Which head role a grid-network organisation needs; the 网格 page shows where one is missing.
HEAD_ROLE_FOR_KIND = {
    "grid": Role.GRID_HEAD,
    "building": Role.BUILDING_HEAD,
    "floor": Role.FLOOR_HEAD,
}


# Reporting (zhiyuan.reporting): 联络员 / 信息上报人员 / 具体负责人 / 主管领导 report for their unit, the
# 文明办 reviews what the units below it sent. The other managing roles get report.submit too, because
# `grantable_roles` only lets someone appoint a 联络员 whose permissions they hold themselves.
_REPORTERS = {Perm.REPORT_VIEW, Perm.REPORT_SUBMIT}
for _role in (
    Role.LIAISON,
    Role.REPORTER,
    Role.PERSON_IN_CHARGE,
    Role.LEADER_IN_CHARGE,
    Role.LEADER,
    Role.SQUADRON_LEADER,
    Role.DEPUTY_SQUADRON_LEADER,
    Role.OFFICE_DIRECTOR,
    Role.OFFICE_DEPUTY,
):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | _REPORTERS
ROLE_PERMS[Role.OFFICER] = ROLE_PERMS[Role.OFFICER] | _REPORTERS | {Perm.REPORT_REVIEW}

# Community outreach (zhiyuan.community). Those who manage a unit handle its help requests, needs surveys,
# events and news; grid heads see them. Children's personal data is not a role grant: the pairing's
# responsible officer sees it, and only the platform admin holds child.reveal (ADMIN has every Perm).
for _role in (
    Role.OFFICER,
    Role.LEADER,
    Role.SQUADRON_LEADER,
    Role.DEPUTY_SQUADRON_LEADER,
    Role.OFFICE_DIRECTOR,
    Role.OFFICE_DEPUTY,
    Role.LEADER_IN_CHARGE,
    Role.PERSON_IN_CHARGE,
):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.COMMUNITY_VIEW, Perm.COMMUNITY_CHANGE}
for _role in (Role.GRID_HEAD, Role.BUILDING_HEAD, Role.FLOOR_HEAD, Role.LIAISON, Role.REPORTER):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.COMMUNITY_VIEW}


# Per-domain permissions carved out of the broad ones (issue 12 item 7): whoever held the broad permission
# holds its parts, so nothing changes for anyone until a role's row is narrowed on purpose.
_CARVED_FROM: dict[str, tuple[str, ...]] = {
    Perm.ORG_VIEW: (Perm.CAMPAIGN_VIEW, Perm.STATION_VIEW, Perm.SHIFT_VIEW),
    Perm.ORG_CHANGE: (Perm.CAMPAIGN_CHANGE, Perm.STATION_CHANGE, Perm.STATION_OPERATE, Perm.SHIFT_CHANGE),
    Perm.VOLUNTEER_VIEW: (Perm.ATTENDANCE_VIEW, Perm.HOURS_VIEW),
    Perm.VOLUNTEER_CHANGE: (
        Perm.RECRUITMENT_CHANGE,
        Perm.TRAINING_CHANGE,
        Perm.DUTY_CHANGE,
        Perm.SHIFT_ASSIGN,
        Perm.ATTENDANCE_CHANGE,
        Perm.HOURS_APPROVE,
        Perm.HOURS_SETTINGS,
        Perm.CERTIFICATE_ISSUE,
        Perm.RECOGNITION_CHANGE,
    ),
}
for _holder, _perms in list(ROLE_PERMS.items()):
    _extra = {part for broad, parts in _CARVED_FROM.items() if broad in _perms for part in parts}
    ROLE_PERMS[_holder] = _perms | _extra
ROLE_PERMS[Role.OFFICER] = ROLE_PERMS[Role.OFFICER] | {Perm.HOLIDAY_CHANGE}
