"""Writing notifications: the inbox rows, a delivery per outside channel (as the person's preferences
allow), and marking read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from zhiyuan.core.models import User
from zhiyuan.notifications import deliveries
from zhiyuan.notifications.models import URGENT_KINDS, Channel, Delivery, Kind, Notification, Preference
from zhiyuan.notifications.quiet import quiet_until

INBOX = "inbox"


def channels_for(user: User, wanted: set[str]) -> list[str]:
    """The outside channels a person can be reached on: e-mail with an address, SMS with a mobile."""
    reachable = []
    if Channel.EMAIL in wanted and user.email:
        reachable.append(Channel.EMAIL.value)
    if Channel.SMS in wanted and user.mobile:
        reachable.append(Channel.SMS.value)
    return reachable


@transaction.atomic
def notifications_create(
    *,
    users: Iterable[Any],
    subject: str,
    body: str,
    url: str = "",
    key: str | None = None,
    channels: Iterable[str] | None = None,
    kind: str = Kind.GENERAL,
    event: str = "",
) -> list[Notification]:
    """Put a notification in each person's inbox (each person once) and queue its outside deliveries.

    Each person's `Preference` decides the outside channels: a channel muted for this `kind` is skipped,
    a digest holds them all for the daily summary, quiet hours push SMS to the end of the quiet time.
    Urgent kinds (emergencies) go out at once on every reachable channel whatever the preference.

    With a `key`, a person who already has a notification under that key is skipped; the unique
    constraint on (user, key), not the look-up, is what makes this hold when two callers race: the insert
    skips conflicting rows, and only the rows it inserted get deliveries."""
    wanted = {Channel.EMAIL.value, Channel.SMS.value} if channels is None else set(channels) - {INBOX}
    unknown = wanted - set(Channel.values)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    people: dict[int, Any] = {user.pk: user for user in users}
    if key is not None and people:
        told = Notification.objects.filter(key=key, user_id__in=list(people)).values_list(
            "user_id", flat=True
        )
        for pk in told:
            people.pop(pk, None)
    urgent = kind in URGENT_KINDS
    prefs = {} if urgent else {p.user_id: p for p in Preference.objects.filter(user_id__in=list(people))}
    rows = [
        Notification(
            user=u,
            subject=subject[:200],
            body=body,
            url=url[:500],
            key=key,
            kind=kind,
            event=event[:60],
            held=bool(wanted) and u.pk in prefs and prefs[u.pk].digest and kind != Kind.DIGEST,
        )
        for u in people.values()
    ]
    created = Notification.objects.bulk_create(rows) if key is None else _insert_new(rows)
    now = timezone.now()
    planned: list[Delivery] = []
    for n in created:
        pref = prefs.get(n.user_id)
        if n.held:
            continue
        for channel in channels_for(n.user, wanted):
            if pref is not None and not pref.wants(kind, channel):
                continue
            due = quiet_until(pref, now) if channel == Channel.SMS and pref is not None else None
            planned.append(Delivery(notification=n, channel=channel, next_attempt_at=due or now))
    pending = Delivery.objects.bulk_create(planned)
    _enqueue_on_commit(pending, now)
    return created


def _enqueue_on_commit(pending: list[Delivery], now: datetime) -> None:
    by_time: dict[datetime, list[int]] = {}
    for d in pending:
        by_time.setdefault(d.next_attempt_at or now, []).append(d.pk)
    for when, ids in by_time.items():
        # the worker must never pick up a delivery whose notification was rolled back; a delivery held
        # for quiet hours waits in the queue (and the sweep picks it up if the queue loses it)
        transaction.on_commit(partial(deliveries.enqueue, ids, run_after=None if when <= now else when))


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: one statement for all recipients, and a row that a racing
    caller inserted first is simply not returned (PostgreSQL and SQLite ≥ 3.35 both speak this)."""
    if not rows:
        return []
    table = Notification._meta.db_table
    columns = [
        "created_at",
        "updated_at",
        "user_id",
        "subject",
        "body",
        "url",
        "key",
        "kind",
        "event",
        "held",
    ]
    now = timezone.now()
    values: list[str] = []
    params: list[Any] = []
    for row in rows:
        values.append("(" + ", ".join(["%s"] * len(columns)) + ")")
        params += [
            now,
            now,
            row.user_id,
            row.subject,
            row.body,
            row.url,
            row.key,
            row.kind,
            row.event,
            row.held,
        ]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES {', '.join(values)} "
        f"ON CONFLICT ({connection.ops.quote_name('user_id')}, {connection.ops.quote_name('key')}) "
        f"WHERE {connection.ops.quote_name('key')} IS NOT NULL DO NOTHING RETURNING id, user_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = dict((user_id, pk) for pk, user_id in cursor.fetchall())
    created = []
    for row in rows:
        if row.user_id in inserted:
            row.pk, row.created_at, row.updated_at = inserted[row.user_id], now, now
            row._state.adding = False
            created.append(row)
    return created


def inbox_mark_read(*, by: User, notification: Notification) -> Notification:
    if notification.user_id != by.pk:  # selectors already scope to the owner; this guards a misuse
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def inbox_mark_all_read(*, by: User) -> int:
    now = timezone.now()
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=now, updated_at=now)
