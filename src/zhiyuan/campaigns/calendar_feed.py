"""An iCalendar feed of a volunteer's own shifts, for the phone's calendar app: /feeds/shifts/<id>-<token>.ics.

Calendar apps cannot sign in, so the URL itself is the secret: the token is an HMAC of the user id keyed
with SECRET_KEY (no table to keep). Anyone holding the URL sees that person's shift titles, times and
places, nothing else; a wrong token is a plain 404. Rotating SECRET_KEY invalidates every feed URL.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Calendar, Event

from zhiyuan.campaigns.models import Signup
from zhiyuan.core.models import User

SALT = "zhiyuan.campaigns.calendar_feed"
TOKEN_LENGTH = 32
PAST_DAYS = 90  # a feed keeps the last three months, enough to check hours against


def feed_token(user_id: int) -> str:
    return salted_hmac(SALT, str(user_id), algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def feed_path(user: User) -> str:
    return reverse("shift_feed", kwargs={"user_id": user.pk, "token": feed_token(user.pk)})


def _signups(user_id: int) -> QuerySet[Signup]:
    since = timezone.now() - timedelta(days=PAST_DAYS)
    return (
        Signup.objects.filter(
            volunteer__user_id=user_id,
            status__in=(Signup.Status.ACCEPTED, Signup.Status.WAITLISTED),
            shift__ends_at__gte=since,
        )
        .select_related("shift__station", "shift__organization")
        .order_by("shift__starts_at", "pk")
    )


def feed_ics(user_id: int) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//zhiyuan//shifts//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "我的志愿服务班次")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for signup in _signups(user_id):
        shift = signup.shift
        waiting = signup.status == Signup.Status.WAITLISTED
        event = Event()
        event.add("uid", f"signup-{signup.pk}@zhiyuan")
        event.add("summary", f"{'（候补）' if waiting else ''}{shift.title}")
        event.add("dtstart", shift.starts_at)  # stored in UTC; calendar apps show local time
        event.add("dtend", shift.ends_at)
        event.add("dtstamp", signup.updated_at)
        event.add("status", "TENTATIVE" if waiting else "CONFIRMED")
        if shift.station is not None:
            place = " ".join(p for p in (shift.station.place, shift.station.sub_location) if p)
            event.add("location", f"{shift.station.name}（{place}）" if place else shift.station.name)
        event.add("description", shift.organization.name)
        calendar.add_component(event)
    return calendar.to_ical()


def shift_feed(request: HttpRequest, user_id: int, token: str) -> HttpResponse:
    """Public: no session. Only the right token for an active account gives anything."""
    if not constant_time_compare(token, feed_token(user_id)):
        raise Http404
    if not User.objects.filter(pk=user_id, is_active=True).exists():
        raise Http404
    response = HttpResponse(feed_ics(user_id), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
