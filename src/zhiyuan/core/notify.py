"""The one seam through which zhiyuan tells people that something needs them: `notify(users=…, subject=…,
body=…)`.

For now every notification is written to the log (logger ``zhiyuan.notify``), one line per recipient, which
the console handler prints — the demo's inbox. The reporting issue wires this function to the in-app inbox,
SMS (`core.sms`) and e-mail; callers stay as they are. Call it from `transaction.on_commit`, so nobody is
told about something that was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger("zhiyuan.notify")
# The root logger only passes warnings; a notification is routine, yet the demo must show it on the console.
log.setLevel(logging.INFO)


def notify(*, users: Iterable[Any], subject: str, body: str) -> int:
    """Tell each user; returns how many were told."""
    told = 0
    for user in users:
        log.info("[通知 %s（用户 %s）] %s：%s", user.display_name, user.pk, subject, body)
        told += 1
    return told
