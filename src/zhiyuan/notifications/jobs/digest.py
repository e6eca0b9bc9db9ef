"""The daily digest (Preference.digest): at 18:00 Beijing, everyone with held notifications gets one
message listing them, on the outside channels; the inbox already has each of them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core.models import User
from zhiyuan.notifications.models import Kind, Notification
from zhiyuan.notifications.periodic import BEIJING

LISTED = 20  # a digest lists this many subjects, then "… and N more"


def digest_send(now: datetime | None = None) -> str:
    from zhiyuan.notifications.services import notifications_create

    now = now or timezone.now()
    day = now.astimezone(BEIJING).date().isoformat()
    held = (
        Notification.objects.filter(held=True, created_at__lte=now)
        .order_by("user_id", "created_at", "pk")
        .values_list("pk", "user_id", "subject")
    )
    per_user: dict[int, list[tuple[int, str]]] = {}
    for pk, user_id, subject in held:
        per_user.setdefault(user_id, []).append((pk, subject))
    users = {u.pk: u for u in User.objects.filter(pk__in=list(per_user), is_active=True)}
    told = 0
    for user_id, items in per_user.items():
        with transaction.atomic():
            user = users.get(user_id)
            if user is not None:
                lines = [f"· {subject}" for _pk, subject in items[:LISTED]]
                if len(items) > LISTED:
                    lines.append(_("……另有 %(n)s 条") % {"n": len(items) - LISTED})
                told += len(
                    notifications_create(
                        users=[user],
                        subject=_("今日通知汇总（%(n)s 条）") % {"n": len(items)},
                        body="\n".join(lines),
                        url=reverse("notifications:inbox"),
                        key=f"digest:{day}:{items[-1][0]}",
                        kind=Kind.DIGEST,
                    )
                )
            Notification.objects.filter(pk__in=[pk for pk, _s in items]).update(held=False)
    return f"{told} digests"
