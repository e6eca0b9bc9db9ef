"""Who hears what: the one table of hand-offs, and `handoff_notify`, the call that sends one.

A hand-off is a moment where something passes to a person who must act on it or know of it — a report
returned, a waiting volunteer promoted, an incident escalated. Each row names the event, the kind of
notification (what a person mutes or not on /app/inbox/preferences/), who is told (in words; the caller
passes the people), the outside channels beside the inbox, the message, and the page where the person acts.

    handoff_notify(
        event="report.returned",
        recipients=reporters,
        context={"submission_id": s.pk, "title": s.rule.title, "comment": s.review_comment},
    )

The link is the row's URL name reversed with the context values its `link_args` name (or pass `link=` a
path). Inbox rows are written in the caller's transaction, so a rolled-back hand-off tells nobody; e-mail and
SMS carry the link made absolute with `ZHIYUAN_SITE_URL` and go out after commit. tests/test_handoffs.py walks
this table: a row without a scenario there fails the suite. See docs/notifications.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhiyuan.notifications.models import Channel, Kind

BOTH = (Channel.EMAIL.value, Channel.SMS.value)
EMAIL = (Channel.EMAIL.value,)


@dataclass(frozen=True)
class Handoff:
    event: str
    kind: str
    audience: str | Promise  # who is told, in words (shown in the docs and on the preferences page)
    subject: str | Promise  # %(name)s placeholders filled from the context
    body: str | Promise
    link: str  # URL name of the page where the person acts
    link_args: tuple[str, ...] = ()  # context keys passed to reverse(), in order
    channels: tuple[str, ...] = BOTH  # outside channels; the inbox is always one
    public: bool = False  # told by SMS to a phone number (no account): handoff_notify(phones=...)

    @property
    def title(self) -> str:
        """ "上报被退回" out of "上报被退回：%(title)s", for the list of who hears what."""
        return re.sub(r"%\([a-z_]+\)s", "", str(self.subject).split("：")[0])

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


TABLE: tuple[Handoff, ...] = (
    # --- reports (zhiyuan.reporting) ---------------------------------------------------------------------
    Handoff(
        "report.submitted",
        Kind.REPORTS,
        _("接收单位的审核人员"),
        _("待审核：%(unit)s %(title)s"),
        _("%(unit)s提交了“%(title)s”（%(period)s），请审核。"),
        "reporting:submission",
        ("submission_id",),
        EMAIL,
    ),
    Handoff(
        "report.returned",
        Kind.REPORTS,
        _("该单位的联络员、信息上报人员和提交人"),
        _("上报被退回：%(title)s"),
        _("“%(title)s”（%(period)s）被退回修改。审核意见：%(comment)s"),
        "reporting:submission",
        ("submission_id",),
    ),
    Handoff(
        "report.accepted",
        Kind.REPORTS,
        _("该单位的联络员、信息上报人员和提交人"),
        _("上报已采用：%(title)s"),
        _("“%(title)s”（%(period)s）已被采用。%(comment)s"),
        "reporting:submission",
        ("submission_id",),
        EMAIL,
    ),
    Handoff(
        "report.selected",
        Kind.REPORTS,
        _("该单位的联络员、信息上报人员和提交人"),
        _("上报被择优选用：%(title)s"),
        _("“%(title)s”（%(period)s）被择优选用。"),
        "reporting:submission",
        ("submission_id",),
        EMAIL,
    ),
    Handoff(
        "report.published",
        Kind.REPORTS,
        _("该单位的联络员、信息上报人员和提交人"),
        _("上报已发布：%(title)s"),
        _("“%(title)s”已发布到门户新闻：%(public_title)s"),
        "reporting:submission",
        ("submission_id",),
        EMAIL,
    ),
    # --- recruitment and training (zhiyuan.people) -------------------------------------------------------
    Handoff(
        "application.decided",
        Kind.RECRUITMENT,
        _("申请人"),
        _("报名结果：%(recruitment)s"),
        _("您报名的“%(recruitment)s”%(decision)s。%(note)s"),
        "people:my_applications",
    ),
    Handoff(
        "training.required",
        Kind.RECRUITMENT,
        _("已报名但未完成必修培训的志愿者"),
        _("上岗前须完成培训：%(course)s"),
        _("您报名的班次“%(shift)s”（%(start)s）要求先完成“%(course)s”。"),
        "people:my_training",
    ),
    # --- shifts (zhiyuan.campaigns) ----------------------------------------------------------------------
    Handoff(
        "shift.assigned",
        Kind.SHIFTS,
        _("被安排上岗的志愿者"),
        _("您已被安排上岗：%(shift)s"),
        _("%(by)s为您安排了班次“%(shift)s”（%(start)s%(place)s）。%(status)s"),
        "campaigns:shift",
        ("shift_id",),
    ),
    Handoff(
        "shift.promoted",
        Kind.SHIFTS,
        _("候补转正的志愿者"),
        _("候补转正：%(shift)s"),
        _("有人取消了报名，您已从候补转为正式上岗：“%(shift)s”（%(start)s%(place)s）。"),
        "campaigns:shift",
        ("shift_id",),
    ),
    Handoff(
        "shift.changed",
        Kind.SHIFTS,
        _("已报名和候补的志愿者"),
        _("班次有变：%(shift)s"),
        _("您报名的班次“%(shift)s”有变动：%(changes)s。"),
        "campaigns:shift",
        ("shift_id",),
    ),
    Handoff(
        "signup.cancelled",
        Kind.SHIFTS,
        _("被队长取消报名的志愿者"),
        _("报名已取消：%(shift)s"),
        _("您在班次“%(shift)s”（%(start)s）的报名已被取消，无需到岗。原因：%(reason)s"),
        "campaigns:my_shifts",
    ),
    Handoff(
        "swap.decided",
        Kind.SHIFTS,
        _("申请换班的志愿者（批准时也告知接班人）"),
        _("换班%(decision)s：%(shift)s"),
        _("“%(shift)s”（%(start)s）的换班申请%(decision)s。%(note)s"),
        "campaigns:my_shifts",
    ),
    Handoff(
        "shift.understaffed",
        Kind.SHIFTS,
        _("班次所属队伍的队长、中队长和副中队长"),
        _("班次人数不足：%(shift)s"),
        _("“%(shift)s”将于 %(start)s 开始，已报名 %(booked)s 人，少于最少 %(minimum)s 人，请补充人员。"),
        "campaigns:shift",
        ("shift_id",),
    ),
    # --- hours (zhiyuan.hours) ---------------------------------------------------------------------------
    Handoff(
        "self_report.decided",
        Kind.HOURS,
        _("自报时长的志愿者"),
        _("自报时长%(decision)s"),
        _("您自报的 %(hours)s 小时（%(day)s）%(decision)s。%(note)s"),
        "hours:my_hours",
    ),
    Handoff(
        "correction.decided",
        Kind.HOURS,
        _("申请更正的志愿者"),
        _("时长更正%(decision)s"),
        _("您对 %(day)s 服务记录的更正申请%(decision)s。%(note)s"),
        "hours:my_history",
    ),
    # --- duties and 报备 (zhiyuan.campaigns) -------------------------------------------------------------
    Handoff(
        "duty.filed",
        Kind.DUTIES,
        _("活动主办文明办的工作人员"),
        _("报备：%(unit)s %(day)s %(filing)s"),
        _("%(unit)s报备%(day)s在%(place)s的集中服务%(filing)s，原因：%(reason)s。"),
        "campaigns:rotation",
        ("campaign_slug",),
    ),
    # --- stations: incidents and emergencies -------------------------------------------------------------
    Handoff(
        "incident.reported",
        Kind.INCIDENTS,
        _("站点联动队伍的负责人和所属文明办"),
        _("站点突发情况：%(station)s"),
        _("%(kind)s（%(severity)s）：%(description)s"),
        "campaigns:incident",
        ("incident_id",),
    ),
    Handoff(
        "incident.escalated",
        Kind.INCIDENTS,
        _("站点所属文明办的管理人员"),
        _("站点突发情况上报：%(station)s"),
        _("%(kind)s（%(severity)s）：%(description)s"),
        "campaigns:incident",
        ("incident_id",),
    ),
    Handoff(
        "incident.resolved",
        Kind.INCIDENTS,
        _("报告人"),
        _("您报告的情况已处理：%(station)s"),
        _("%(resolution)s"),
        "campaigns:incident",
        ("incident_id",),
    ),
    Handoff(
        "help.routed",
        Kind.INCIDENTS,
        _("承办求助的单位负责人"),
        _("新的求助：%(kind)s"),
        _("查询码 %(code)s，地点：%(where)s。请尽快办理。"),
        "community:help",
        ("help_id",),
    ),
    Handoff(
        "emergency.activated",
        Kind.EMERGENCY,
        _("结对应急志愿服务队的全体成员（不可关闭）"),
        _("应急预案启动：%(station)s"),
        _("%(trigger)s。%(reason)s。请立即到岗并在系统中确认。"),
        "campaigns:activation",
        ("activation_id",),
    ),
)

ACCOUNTS: tuple[Handoff, ...] = (
    # --- accounts (zhiyuan.accounts): someone who can already log in was added to a unit; someone who
    # cannot yet gets an invitation with a code or link instead (accounts.invitations), never stored here
    Handoff(
        "member.added",
        Kind.ACCOUNTS,
        _("被添加到单位的人员（已能登录的）"),
        _("您已被添加到%(org)s"),
        _("%(by)s已将您添加为%(org)s的%(role)s。"),
        "organizations:detail",
        ("org_id",),
    ),
)
TABLE = TABLE + ACCOUNTS

PUBLIC: tuple[Handoff, ...] = (
    # --- the public portal (zhiyuan.outreach): no account, an SMS to the contact's phone ----------------
    Handoff(
        "reservation.decided",
        Kind.GENERAL,
        _("预约的联系人（短信）"),
        _("场馆预约%(decision)s"),
        _("您预约的%(venue)s（%(day)s，%(people)s人）%(decision)s。%(note)s预约码 %(code)s"),
        "portal:reservation_status",
        ("code",),
        (Channel.SMS.value,),
        public=True,
    ),
)
TABLE = TABLE + PUBLIC

HANDOFFS: dict[str, Handoff] = {h.event: h for h in TABLE}


class UnknownHandoff(LookupError):
    pass


def handoff(event: str) -> Handoff:
    try:
        return HANDOFFS[event]
    except KeyError:
        raise UnknownHandoff(f"no hand-off named {event!r} in notifications.handoffs.TABLE") from None


def render(event: str, context: Mapping[str, Any], link: str | None = None) -> tuple[str, str, str]:
    """(subject, body, path) of a hand-off; a missing placeholder is a KeyError at the caller, not a gap."""
    h = handoff(event)
    path = link if link is not None else reverse(h.link, args=[context[a] for a in h.link_args])
    return str(h.subject) % context, (str(h.body) % context).strip(), path


def handoff_notify(
    *,
    event: str,
    recipients: Iterable[Any],
    context: Mapping[str, Any],
    link: str | None = None,
    key: str | None = None,
    phones: Iterable[str] = (),
) -> int:
    """Tell each recipient (users; duplicates and inactive accounts dropped) once; returns how many.

    `key` makes it idempotent per person, e.g. `f"shift:{pk}:understaffed:48h"` for a periodic job.
    A public row (`public=True`) texts `phones` instead, after commit, with the absolute link."""
    from zhiyuan.core import notify

    h = handoff(event)
    subject, body, path = render(event, context, link)
    if h.public:
        return _text_public(list(dict.fromkeys(p for p in phones if p)), subject, body, path)
    people = [u for u in recipients if u is not None and getattr(u, "is_active", True)]
    if not people:
        return 0
    return notify.notify(
        users=people,
        subject=subject,
        body=body,
        url=path,
        key=key,
        channels=h.channels,
        kind=h.kind,
        event=event,
    )


def _text_public(phones: list[str], subject: str, body: str, path: str) -> int:
    from django.db import transaction

    from zhiyuan.core.site import absolute_url
    from zhiyuan.notifications.deliveries import sms_text
    from zhiyuan.notifications.tasks import public_sms_send

    text = sms_text(subject, body, absolute_url(path))
    for phone in phones:
        transaction.on_commit(partial(public_sms_send.enqueue, phone, text))
    return len(phones)
