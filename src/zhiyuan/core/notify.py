"""The one seam through which zhiyuan tells people that something needs them:
`notify(users=…, subject=…, body=…, url=…, key=…, channels=…)`.

Every notification lands in the person's in-app inbox (`zhiyuan.notifications`), and is sent by e-mail
(Django's mail backend) when they have an address and by SMS (`core.sms`) when they have a mobile; the
outside deliveries are background tasks queued when the caller's transaction commits, retried with backoff
and kept when they fail. `channels` narrows the outside channels (`("email",)`, or `()` for inbox only).
A `key` makes the notification idempotent per person: "shift 12, 2 h before" reaches each volunteer once
ever, however often a job runs. Call it from `transaction.on_commit` (or a task), so nobody is told about
something that was rolled back.

A hand-off (a report returned, a volunteer promoted …) goes through `zhiyuan.notifications.handoffs.
handoff_notify` instead, which takes its wording, kind, channels and link from the hand-off table.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger("zhiyuan.notify")
# The root logger only passes warnings; a notification is routine, yet the demo must show it on the console.
log.setLevel(logging.INFO)


def notify(
    *,
    users: Iterable[Any],
    subject: str,
    body: str,
    url: str = "",
    key: str | None = None,
    channels: Iterable[str] | None = None,
    kind: str = "general",
    event: str = "",
) -> int:
    """Tell each user once; returns how many were told now (those already told under `key` are not)."""
    from zhiyuan.notifications.services import notifications_create

    created = notifications_create(
        users=users, subject=subject, body=body, url=url, key=key, channels=channels, kind=kind, event=event
    )
    for notification in created:
        # the user's id only: names and addresses stay out of the log
        log.info("[通知 用户 %s] %s", notification.user_id, subject)
    return len(created)
