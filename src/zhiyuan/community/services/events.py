"""邻里守望 events: laying one out (optionally with a volunteer shift, so helpers' hours reach the ledger
through the usual sign-up and check-in), public sign-up by migrant workers and their families, attendance.

Places are counted in people (a family of three takes three). The event row is locked while a sign-up is
decided, so racing sign-ups queue and the event is never overbooked; a check constraint backs the lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift
from zhiyuan.campaigns.selectors.shifts import shift_visible_to
from zhiyuan.campaigns.services.shifts import shift_create
from zhiyuan.community import codes
from zhiyuan.community.models import CommunityEvent, EventSignup
from zhiyuan.community.services.common import Errors, add, phone, raise_if, require_change, text
from zhiyuan.core import audit
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Organization

MAX_PARTY = 10


@transaction.atomic
def event_create(
    *,
    by: Any,
    organization: Organization,
    kind: str,
    title: str,
    place: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None,
    description: str = "",
    published: bool = True,
    shift: Shift | None = None,
    volunteer_places: int = 0,
) -> CommunityEvent:
    """`shift` links an existing volunteer shift; `volunteer_places` lays out a new one for the event."""
    require_change(by, organization)
    errors: Errors = {}
    if kind not in CommunityEvent.Kind.values:
        add(errors, "kind", _("请选择活动类型。"))
    title = text(title, "title", 100, errors, _("请填写活动名称。"))
    place = text(place, "place", 200, errors, _("请填写活动地点。"))
    description = text(description, "description", 3000, errors)
    if starts_at is None:
        add(errors, "starts_at", _("请填写开始时间。"))
    if ends_at is None:
        add(errors, "ends_at", _("请填写结束时间。"))
    elif starts_at is not None and ends_at <= starts_at:
        add(errors, "ends_at", _("结束时间必须晚于开始时间。"))
    if capacity is None or capacity < 1:
        add(errors, "capacity", _("名额至少为1人。"))
    elif capacity > 100000:
        add(errors, "capacity", _("名额不能超过100000人。"))
    if shift is not None and not shift_visible_to(user=by, shift=shift):
        add(errors, "shift", _("所选班次不存在。"))
    if shift is not None and volunteer_places:
        add(errors, "volunteer_places", _("已关联班次时不能再新建班次。"))
    if volunteer_places < 0:
        add(errors, "volunteer_places", _("志愿者名额不能为负数。"))
    raise_if(errors)
    assert starts_at is not None and ends_at is not None and capacity is not None
    if volunteer_places:
        shift = shift_create(
            by=by,
            organization=organization,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=volunteer_places,
        )
    event = CommunityEvent(
        organization=organization,
        kind=kind,
        title=title,
        place=place,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        published=published,
        shift=shift,
        created_by=by,
    )
    audit.attribute(event, by)
    event.save()
    return event


@transaction.atomic
def event_signup_create(
    *, event: CommunityEvent, name: str, phone_number: str, party_size: int | None
) -> EventSignup:
    """A public sign-up; refused (409) when the event is full, closed or the phone already signed up."""
    errors: Errors = {}
    name = text(name, "name", 30, errors, _("请填写姓名。"))
    number = phone(phone_number, "phone", errors)
    if party_size is None or party_size < 1:
        add(errors, "party_size", _("人数至少为1人。"))
    elif party_size > MAX_PARTY:
        add(errors, "party_size", _("每次报名最多%(n)d人。") % {"n": MAX_PARTY})
    raise_if(errors)
    assert party_size is not None
    locked = CommunityEvent.objects.select_for_update().get(pk=event.pk)  # serialises racing sign-ups
    if not locked.published or locked.starts_at <= timezone.now():
        raise Refused(_("该活动已停止报名。"))
    if locked.taken + party_size > locked.capacity:
        left = locked.capacity - locked.taken
        raise Refused(_("名额已满。") if left <= 0 else _("名额不足，只剩%(n)d个名额。") % {"n": left})
    if EventSignup.objects.filter(event=locked, phone=number).exists():
        raise Refused(_("这个电话号码已经报过名了。"))
    signup = EventSignup(
        event=locked,
        code=codes.new_code(lambda c: EventSignup.objects.filter(code=c).exists()),
        name=name,
        phone=number,
        party_size=party_size,
    )
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:
        raise Refused(_("这个电话号码已经报过名了。")) from None
    locked.taken += party_size
    locked.save(update_fields=["taken", "updated_at"])
    return signup


@transaction.atomic
def event_attendance_mark(*, by: Any, signup: EventSignup, attended: bool) -> EventSignup:
    require_change(by, signup.event.organization, _("只有主办单位可以登记到场情况。"))
    signup.attended = attended
    signup.marked_by = by
    audit.attribute(signup, by)
    signup.save(update_fields=["attended", "marked_by", "updated_at"])
    return signup
