"""The workspace menu: one declarative table of what each person may open.

An entry shows when the person holds any of its `perms` somewhere (read from the grants `core.access`
already cached for the request, no query), holds one of its `roles` somewhere, and passes its `when`
predicate; an entry with none of the three shows to everyone signed in. The landing page (`/app/`) and the
crawl test (tests/test_workspace_crawl.py) read the same table, so a page added here is a page every
permitted role reaches by clicks — and a page that would answer 403 is never linked.

To add a page: one `Entry(...)` line in `MENU`, in its group, with the narrowest permission its view checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm


def is_volunteer(user: Any) -> bool:
    """Has a real-name volunteer profile (read with the cached grants, no query of its own)."""
    return access.has_volunteer_profile(user)


def is_staff(user: Any) -> bool:
    return bool(user.is_staff)


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url: str  # a URL name
    perms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    when: Callable[[Any], bool] | None = None
    group: str = "work"  # "mine": the person's own things; "work": what they do for others

    def allows(self, user: Any) -> bool:
        if not (user and user.is_authenticated and user.is_active):
            return False
        if self.perms and not access.holds_any(user, self.perms):
            return False
        if self.roles and not (access.is_global(user) or set(self.roles) & access.roles_held(user)):
            return False
        return self.when is None or self.when(user)


MENU: list[Entry] = [
    # the person's own: shown to whoever has a volunteer profile
    Entry(_("我的班次"), "campaigns:my_shifts", when=is_volunteer, group="mine"),
    Entry(_("我的时长"), "hours:my_hours", when=is_volunteer, group="mine"),
    Entry(_("扫码签到"), "hours:scan", when=is_volunteer, group="mine"),
    Entry(_("我的证明"), "hours:my_certificates", when=is_volunteer, group="mine"),
    Entry(_("我的培训"), "people:my_training", when=is_volunteer, group="mine"),
    Entry(_("我的申请"), "people:my_applications", when=is_volunteer, group="mine"),
    # the day's work
    Entry(_("运行看板"), "ops:board", perms=(Perm.STATION_OPERATE,)),
    Entry(_("缺员预测"), "ops:forecast", perms=(Perm.STATION_OPERATE,)),
    Entry(_("班次"), "campaigns:shifts", perms=(Perm.SHIFT_VIEW,)),
    Entry(_("活动"), "campaigns:list", perms=(Perm.CAMPAIGN_VIEW,)),
    Entry(_("站点"), "campaigns:stations", perms=(Perm.STATION_CHANGE, Perm.STATION_OPERATE)),
    Entry(_("组织"), "organizations:tree", perms=(Perm.ORG_CHANGE, Perm.MEMBER_CHANGE, Perm.CONTACT_CHANGE)),
    Entry(_("志愿者"), "people:search", perms=(Perm.VOLUNTEER_VIEW,)),
    Entry(_("招募"), "people:recruitments", perms=(Perm.RECRUITMENT_CHANGE,)),
    Entry(_("培训"), "people:training_list", perms=(Perm.TRAINING_CHANGE,)),
    Entry(_("签到核查"), "hours:flagged", perms=(Perm.ATTENDANCE_CHANGE,)),
    Entry(_("时长申报审核"), "hours:report_queue", perms=(Perm.HOURS_APPROVE,)),
    Entry(_("更正"), "hours:corrections", perms=(Perm.HOURS_APPROVE,)),
    Entry(_("时长审核"), "hours:review", perms=(Perm.HOURS_APPROVE, Perm.ATTENDANCE_CHANGE)),
    Entry(_("五小时达标"), "hours:compliance", perms=(Perm.HOURS_VIEW,)),
    Entry(_("排名"), "hours:rankings", perms=(Perm.HOURS_VIEW,)),
    Entry(_("表彰"), "hours:recognition", perms=(Perm.RECOGNITION_CHANGE,)),
    Entry(_("上报"), "reporting:my_dues", perms=(Perm.REPORT_SUBMIT,)),
    Entry(_("上报审核"), "reporting:review_queue", perms=(Perm.REPORT_REVIEW,)),
    Entry(_("考核"), "reporting:scoreboard", perms=(Perm.REPORT_VIEW,)),
    Entry(_("节假日"), "holidays", perms=(Perm.HOLIDAY_CHANGE, Perm.CAMPAIGN_CHANGE)),
    Entry(_("时长标准"), "hours:standards", perms=(Perm.HOURS_SETTINGS,)),
    Entry(_("公众服务"), "outreach:index", perms=(Perm.OUTREACH_VIEW,)),
    Entry(_("关爱务工人员"), "community:index", perms=(Perm.COMMUNITY_VIEW,)),
    # everyone
    Entry(_("我的"), "people:me", group="mine"),
    Entry(_("数据看板"), "ops:dashboard", group="mine"),
    Entry(_("通知"), "notifications:inbox", group="mine"),
    Entry(_("通知设置"), "notifications:preferences", group="mine"),
    Entry(_("后台"), "admin:index", when=is_staff, group="mine"),
]


@dataclass(frozen=True)
class Link:
    label: str | Promise
    href: str
    url: str
    group: str


def menu_for(user: Any) -> list[Link]:
    return [Link(e.label, reverse(e.url), e.url, e.group) for e in MENU if e.allows(user)]


def menu(request: Any) -> dict[str, Any]:
    """Context processor: `workspace_menu` for base.html."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"workspace_menu": []}
    # a callable: the template calls it only where the menu is drawn (not for htmx fragments)
    return {"workspace_menu": partial(menu_for, user)}
