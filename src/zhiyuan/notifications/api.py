"""/api/v1/me/notifications — the signed-in user's inbox; another user's notification is a 404;
/api/v1/me/notification-preferences — channels per kind, the daily digest and quiet hours."""

from datetime import datetime, time
from typing import Any

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict
from zhiyuan.core.pagination import Paginated
from zhiyuan.notifications import preferences as prefs
from zhiyuan.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    kind: str  # what it is about (notifications.models.Kind), as muted on the preferences
    event: str  # the hand-off it came from ("report.returned"), empty for reminders
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


class KindPreference(Schema):
    kind: str
    label: str
    urgent: bool
    email: bool
    sms: bool


class PreferenceOut(Schema):
    kinds: list[KindPreference]
    digest: bool
    quiet_from: time | None
    quiet_to: time | None


class PreferenceIn(Strict):
    """`muted`: per kind, the outside channels turned off ({"reports": ["sms"]}); kinds left out are on."""

    muted: dict[str, list[str]] = {}
    digest: bool = False
    quiet_from: time | None = None
    quiet_to: time | None = None


def _preference_out(preference: Any) -> dict[str, Any]:
    return {
        "kinds": [row.__dict__ for row in prefs.preference_rows(preference)],
        "digest": preference.digest,
        "quiet_from": preference.quiet_from,
        "quiet_to": preference.quiet_to,
    }


@router.get("/me/notification-preferences", response=PreferenceOut)
def get_preferences(request: AuthedRequest) -> Any:
    return _preference_out(prefs.preference_of(request.auth))


@router.put("/me/notification-preferences", response={200: PreferenceOut, 422: Error})
def put_preferences(request: AuthedRequest, payload: PreferenceIn) -> Any:
    return _preference_out(prefs.preference_set(by=request.auth, **payload.dict()))
