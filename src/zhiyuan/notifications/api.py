"""/api/v1/me/notifications — the signed-in user's inbox; another user's notification is a 404."""

from datetime import datetime
from typing import Any

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error
from zhiyuan.core.pagination import Paginated
from zhiyuan.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    read_at: datetime | None
    created_at: datetime


class InboxFilters(Schema):
    unread: bool = False


class MarkedOut(Schema):
    marked: int


class UnreadOut(Schema):
    unread: int


@router.get("/me/notifications", response=list[NotificationOut])
@paginate(Paginated)
def list_notifications(request: AuthedRequest, filters: Query[InboxFilters]) -> Any:
    return selectors.inbox(user=request.auth, unread_only=filters.unread)


@router.get("/me/notifications/unread", response=UnreadOut)
def unread(request: AuthedRequest) -> Any:
    return {"unread": selectors.unread_count(user=request.auth)}


@router.post("/me/notifications/read-all", response=MarkedOut)
def read_all(request: AuthedRequest) -> Any:
    return {"marked": services.inbox_mark_all_read(by=request.auth)}


@router.post("/me/notifications/{notification_id}/read", response={200: NotificationOut, 404: Error})
def read(request: AuthedRequest, notification_id: int) -> Any:
    notification = access.get_or_404(selectors.inbox(user=request.auth), pk=notification_id)
    return services.inbox_mark_read(by=request.auth, notification=notification)
