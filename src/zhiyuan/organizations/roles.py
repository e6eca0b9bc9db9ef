"""The permission names, per domain, and the roles people hold in the organisation tree.

Which role holds which permission is one literal table beside the choke point: `core.permissions`.
The seeds' titles (中队长, 网格长 …) and the platform roles (admin, officer, leader, volunteer) share one list.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(models.TextChoices):
    """Permission names, one group per domain; `core.permissions.PERMISSIONS` says which role holds each."""

    # organisations: the tree, its members and contact sheets (attachment 2), the change history
    ORG_VIEW = "org.view", _("查看组织")
    ORG_CHANGE = "org.change", _("管理组织")
    MEMBER_VIEW = "member.view", _("查看成员")
    MEMBER_CHANGE = "member.change", _("管理成员")
    CONTACT_VIEW = "contact.view", _("查看联系人")
    CONTACT_CHANGE = "contact.change", _("管理联系人")
    AUDIT_VIEW = "audit.view", _("查看变更记录")
    # people: volunteer profiles, recruitment, training
    VOLUNTEER_VIEW = "volunteer.view", _("查看志愿者")
    VOLUNTEER_CHANGE = "volunteer.change", _("管理志愿者")
    PERSON_REVEAL = "person.reveal", _("查看完整证件号码")
    RECRUITMENT_CHANGE = "recruitment.change", _("管理招募")
    TRAINING_CHANGE = "training.change", _("管理培训")
    # campaigns: campaigns, phases, rotation, deadline rules, 集中服务 duties, the holiday calendar
    CAMPAIGN_VIEW = "campaign.view", _("查看活动")
    CAMPAIGN_CHANGE = "campaign.change", _("管理活动、轮值与上报规则")
    DUTY_CHANGE = "duty.change", _("报备与完成集中服务")
    HOLIDAY_CHANGE = "holiday.change", _("维护节假日安排")
    # stations
    STATION_VIEW = "station.view", _("查看站点")
    STATION_CHANGE = "station.change", _("管理站点")
    STATION_OPERATE = "station.operate", _("站点值守（物资、台账、突发情况）")
    # shifts and sign-ups
    SHIFT_VIEW = "shift.view", _("查看班次")
    SHIFT_CHANGE = "shift.change", _("管理班次")
    SHIFT_ASSIGN = "shift.assign", _("安排他人上岗与审批换班")
    # attendance: check-in and check-out
    ATTENDANCE_VIEW = "attendance.view", _("查看签到")
    ATTENDANCE_CHANGE = "attendance.change", _("代为签到签退与核查")
    # hours: the ledger, compliance, corrections and self-reports, rankings, recognition
    HOURS_VIEW = "hours.view", _("查看服务时长与达标情况")
    HOURS_APPROVE = "hours.approve", _("审核时长、更正与补录")
    HOURS_SETTINGS = "hours.settings", _("设置时长标准、星级与上限")
    RECOGNITION_CHANGE = "recognition.change", _("记录表彰与评价")
    # certificates
    CERTIFICATE_ISSUE = "certificate.issue", _("开具与撤销志愿服务证明")
    # reports
    REPORT_VIEW = "report.view", _("查看上报")
    REPORT_SUBMIT = "report.submit", _("填报上报")
    REPORT_REVIEW = "report.review", _("审核上报")
    # outreach: hotlines, venues, free tickets
    OUTREACH_VIEW = "outreach.view", _("查看热线、场馆与赠票")
    OUTREACH_CHANGE = "outreach.change", _("管理热线、场馆与赠票")
    TICKET_COLLECT = "ticket.collect", _("核销赠票领取")
    # community (zhiyuan.community): help requests, needs surveys, events, news, pairing
    COMMUNITY_VIEW = "community.view", _("查看求助与外来务工人员服务")
    COMMUNITY_CHANGE = "community.change", _("办理求助、摸排、活动与新闻")
    CHILD_REVEAL = "child.reveal", _("查看所有结对儿童的个人信息")


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


# Which head role a grid-network organisation needs; the 网格 page shows where one is missing.
HEAD_ROLE_FOR_KIND = {
    "grid": Role.GRID_HEAD,
    "building": Role.BUILDING_HEAD,
    "floor": Role.FLOOR_HEAD,
}
