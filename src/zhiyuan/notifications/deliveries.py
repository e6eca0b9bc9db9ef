"""Sending a delivery through its channel, with retries and backoff; a failed delivery stays recorded.

A delivery is claimed by a conditional UPDATE (pending → sending) before anything is sent, so a duplicate
task, a sweep that re-enqueues, or a second worker never sends it twice. Nothing is sent inside a
transaction: an SMTP or SMS gateway call must not hold the database's write lock."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import sms
from zhiyuan.core.site import absolute_url
from zhiyuan.notifications.models import Channel, Delivery

log = logging.getLogger(__name__)


class Undeliverable(Exception):
    """The person has no address on this channel any more: retrying cannot help."""


def max_attempts() -> int:
    return int(getattr(settings, "ZHIYUAN_NOTIFY_MAX_ATTEMPTS", 5))


def backoff(attempts: int) -> timedelta:
    """1, 4, 16, 64 … minutes after the n-th failed attempt (base configurable)."""
    base = float(getattr(settings, "ZHIYUAN_NOTIFY_RETRY_SECONDS", 60))
    return timedelta(seconds=base * 4 ** max(attempts - 1, 0))


def enqueue(ids: list[int], run_after: datetime | None = None) -> None:
    from zhiyuan.notifications.tasks import delivery_send

    task = delivery_send if run_after is None else delivery_send.using(run_after=run_after)
    for pk in ids:
        task.enqueue(pk)


def sms_text(subject: str, body: str, link: str, limit: int = 300) -> str:
    """The link is what the person acts on, so a long body is cut to keep it whole."""
    tail = f" {link}" if link else ""
    head = f"【志愿】{subject}：{body}"
    if len(head) + len(tail) > limit:
        head = head[: max(limit - len(tail) - 1, 0)] + "…"
    return head + tail


def send(delivery: Delivery) -> None:
    notification = delivery.notification
    user = notification.user
    link = absolute_url(notification.url)
    if delivery.channel == Channel.EMAIL:
        if not user.email:
            raise Undeliverable("没有电子邮件地址")
        text = f"{notification.body}\n\n{link}" if link else notification.body
        prefs = absolute_url(reverse("notifications:preferences"))
        text += "\n\n" + _("不想再收到此类邮件？请在此设置：%(url)s") % {"url": prefs}
        EmailMessage(subject=notification.subject, body=text, to=[user.email]).send()
    elif delivery.channel == Channel.SMS:
        if not user.mobile:
            raise Undeliverable("没有手机号")
        sms.send(mobile=user.mobile, text=sms_text(notification.subject, notification.body, link))
    else:
        raise Undeliverable(f"未知渠道 {delivery.channel}")


def attempt(delivery_id: int) -> str:
    """One attempt at one delivery; returns what happened (the task's recorded result)."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )
    if not claimed:
        return "skipped"  # sent, failed for good, not yet due, or claimed by another worker
    delivery = Delivery.objects.select_related("notification__user").get(pk=delivery_id)
    try:
        send(delivery)
    except Exception as exc:  # any gateway error: record it and retry, never lose the delivery
        return _failed(delivery, exc)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, updated_at=timezone.now()
    )
    return "sent"


def _failed(delivery: Delivery, exc: Exception) -> str:
    # the class and message only: an address or a phone number has no place in the log
    log.warning(
        "delivery %s (%s) failed on attempt %s: %s",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        type(exc).__name__,
    )
    error = f"{type(exc).__name__}: {exc}"[:500]
    now = timezone.now()
    if isinstance(exc, Undeliverable) or delivery.attempts >= max_attempts():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, last_error=error, next_attempt_at=None, updated_at=now
        )
        return "failed"
    when = now + backoff(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, last_error=error, next_attempt_at=when, updated_at=now
    )
    enqueue([delivery.pk], run_after=when)
    return "retry"


def sweep(*, now: datetime | None = None) -> str:
    """Re-enqueue deliveries whose task was lost (a crash between commit and enqueue), and give up on
    ones a killed worker left half-sent: whether the message went out is unknown, and a reminder sent
    twice is worse than one marked failed for an officer to see."""
    now = now or timezone.now()
    lost = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now - timedelta(minutes=5)
        ).values_list("pk", flat=True)[:1000]
    )
    enqueue(lost)
    stuck = Delivery.objects.filter(
        status=Delivery.Status.SENDING, updated_at__lte=now - timedelta(minutes=30)
    ).update(status=Delivery.Status.FAILED, last_error="发送中断，结果未知，未重发以免重复。", updated_at=now)
    return f"re-enqueued {len(lost)}, gave up {stuck}"
