"""Writes for 场馆 and their 集体预约: officers keep the venue; any organisation may ask to bring a group,
and the venue's unit accepts or declines with a reply."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.models import Venue, VenueReservation
from zhiyuan.outreach.services.common import (
    Errors,
    add,
    check_owner,
    mobile,
    model_errors,
    new_code,
    phone_or_service,
    raise_if,
    require_visible_then,
)

VENUE_FIELDS = (
    "campaign",
    "name",
    "kind",
    "address",
    "phone",
    "opening_hours",
    "free_rules",
    "guided_tours",
    "accepts_groups",
    "max_group_size",
    "order",
    "published",
)
MAX_GROUP = 500
BOOK_AHEAD_DAYS = 180
R = VenueReservation.Status


def _errors(v: Venue, errors: Errors) -> None:
    v.name = (v.name or "").strip()
    v.phone = phone_or_service(v.phone, errors)
    model_errors(v, errors, exclude=["organization", "phone"])
    if v.max_group_size is not None and not 1 <= v.max_group_size <= MAX_GROUP:
        add(errors, "max_group_size", _("每团人数上限应在1到%(n)d之间。") % {"n": MAX_GROUP})


def venue_problems(venue: Venue) -> Errors:
    errors: Errors = {}
    _errors(venue, errors)
    return errors


def _known(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise_if({f: [_("不能修改此字段。")] for f in sorted(unknown)})


@transaction.atomic
def venue_create(*, by: Any, organization: Organization | None, **fields: Any) -> Venue:
    require_visible_then(by, organization, Perm.OUTREACH_CHANGE)
    _known(fields)
    venue = Venue(organization=organization, **fields)
    errors: Errors = {}
    check_owner(by, organization, errors)
    _errors(venue, errors)
    raise_if(errors)
    audit.attribute(venue, by)
    venue.save()
    return venue


@transaction.atomic
def venue_update(*, by: Any, venue: Venue, **changes: Any) -> Venue:
    access.require(by, Perm.OUTREACH_CHANGE, venue.organization)
    _known(changes)
    v = Venue.objects.select_for_update().get(pk=venue.pk)
    for field, value in changes.items():
        setattr(v, field, value)
    errors: Errors = {}
    _errors(v, errors)
    raise_if(errors)
    audit.attribute(v, by)
    v.save()
    return v


def reservation_problems(*, venue: Venue, today: date, **raw: Any) -> tuple[Errors, dict[str, Any]]:
    errors: Errors = {}
    values: dict[str, Any] = {
        "organization_name": (raw.get("organization_name") or "").strip(),
        "contact_name": (raw.get("contact_name") or "").strip(),
        "note": (raw.get("note") or "").strip(),
        "guided_tour": bool(raw.get("guided_tour")),
    }
    for field, label, limit in (("organization_name", _("组织单位"), 100), ("contact_name", _("联系人"), 50)):
        if not values[field]:
            add(errors, field, _("请填写%(f)s。") % {"f": label})
        elif len(values[field]) > limit:
            add(errors, field, _("不能超过%(n)d个字。") % {"n": limit})
    if len(values["note"]) > 200:
        add(errors, "note", _("不能超过%(n)d个字。") % {"n": 200})
    values["phone"] = mobile(raw.get("phone", ""), errors)
    try:
        size = int(raw.get("size"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        size = 0
    limit = venue.max_group_size or MAX_GROUP
    if not 1 <= size <= limit:
        add(errors, "size", _("人数应在1到%(n)d之间。") % {"n": limit})
    values["size"] = size
    visit = raw.get("visit_date")
    if not isinstance(visit, date):
        add(errors, "visit_date", _("请选择参观日期。"))
    elif visit <= today:
        add(errors, "visit_date", _("参观日期须在今天之后，以便场馆安排。"))
    elif (visit - today).days > BOOK_AHEAD_DAYS:
        add(errors, "visit_date", _("最多可预约%(n)d天内的日期。") % {"n": BOOK_AHEAD_DAYS})
    values["visit_date"] = visit
    if values["guided_tour"] and not venue.guided_tours:
        add(errors, "guided_tour", _("该场馆不提供义务讲解。"))
    return errors, values


@transaction.atomic
def reservation_create(*, by: Any = None, venue: Venue, **raw: Any) -> VenueReservation:
    """A group reservation request from the public form or the API; `by` may be None."""
    if not (venue.published and venue.accepts_groups):
        raise Refused(_("该场馆暂不接受集体预约。"))
    errors, values = reservation_problems(venue=venue, today=timezone.localdate(), **raw)
    raise_if(errors)
    reservation = VenueReservation(venue=venue, **values)
    for _attempt in range(3):
        reservation.code = new_code()
        try:
            with transaction.atomic():
                audit.attribute(reservation, by)
                reservation.save()
            return reservation
        except IntegrityError:
            reservation.pk = None
    raise Refused(_("系统繁忙，请稍后再试。"))


@transaction.atomic
def reservation_decide(
    *, by: Any, reservation: VenueReservation, accept: bool, reason: str = ""
) -> VenueReservation:
    access.require(by, Perm.OUTREACH_CHANGE, reservation.venue.organization)
    r = VenueReservation.objects.select_for_update().get(pk=reservation.pk)
    reason = (reason or "").strip()
    if r.status != R.PENDING:
        raise Refused(_("该预约%(s)s。") % {"s": r.get_status_display()})
    if not accept and not reason:
        raise_if({"reason": [_("婉拒时请说明原因，方便对方调整。")]})
    if len(reason) > 200:
        raise_if({"reason": [_("不能超过%(n)d个字。") % {"n": 200}]})
    r.status = R.ACCEPTED if accept else R.DECLINED
    r.reason, r.decided_by, r.decided_at = reason, by, timezone.now()
    audit.attribute(r, by)
    r.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
    from zhiyuan.notifications.handoffs import handoff_notify

    handoff_notify(
        event="reservation.decided",
        recipients=[],
        phones=[r.phone],
        context={
            "code": r.code,
            "venue": reservation.venue.name,
            "day": f"{r.visit_date:%m月%d日}",
            "people": r.size,
            "decision": _("已确认") if accept else _("未能安排"),
            "note": _("原因：%(r)s。") % {"r": reason} if reason else "",
        },
    )
    return r
