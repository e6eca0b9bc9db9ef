"""Reading the inbox. A notification is its owner's alone: every query here is filtered by the user."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from zhiyuan.core.models import User
from zhiyuan.notifications.models import Notification

UNREAD = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())


def inbox(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """Unread first, newest first within each."""
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by(UNREAD.desc(), "-created_at", "-pk")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
