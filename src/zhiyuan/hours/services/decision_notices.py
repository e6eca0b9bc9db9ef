"""Telling a volunteer how their self-reported hours or their correction request was decided
(notifications.handoffs rows "self_report.decided" and "correction.decided")."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.notifications.handoffs import handoff_notify


def _day(moment: Any) -> str:
    return f"{timezone.localtime(moment):%m月%d日}"


def _note(text: str) -> str:
    return _("说明：%(t)s") % {"t": text} if text else ""


def tell_self_report(report: Any) -> int:
    approved = report.status == report.Status.APPROVED
    hours = round((report.ends_at - report.starts_at).total_seconds() / 3600, 1)
    return handoff_notify(
        event="self_report.decided",
        recipients=[report.volunteer.user],
        context={
            "decision": _("已认定") if approved else _("未予认定"),
            "hours": hours,
            "day": _day(report.starts_at),
            "note": _note(report.reason),
        },
    )


def tell_correction(correction: Any, note: str) -> int:
    approved = correction.status == correction.Status.APPROVED
    return handoff_notify(
        event="correction.decided",
        recipients=[correction.entry.volunteer.user],
        context={
            "decision": _("已更正") if approved else _("未予更正"),
            "day": _day(correction.entry.starts_at),
            "note": _note(note.strip()),
        },
    )
