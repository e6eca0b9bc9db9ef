"""求助: filing (by the person, or by a hotline operator on their behalf), routing and handling.

Routing, in this order:
1. a kind with a `HelpRoute` (薪资 → 市人社局, 法律援助 → 法律援助支队) goes there wherever it was filed —
   the station in front of the person cannot settle a wage claim;
2. otherwise the chosen station's responsible office (属地: 站点所在的文明办);
3. otherwise the organiser of the campaign running today (or the latest one), else the root 文明办.
The routed organisation's handlers are told after the transaction commits.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign, Station
from zhiyuan.community import codes
from zhiyuan.community.models import HelpKind, HelpRequest, HelpRequestNote, HelpRoute
from zhiyuan.community.services.common import (
    Errors,
    add,
    handlers,
    phone,
    raise_if,
    require_change,
    text,
)
from zhiyuan.core import audit
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Kind, Organization

S = HelpRequest.Status
NEXT = {S.ACCEPTED: {S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED}, S.IN_PROGRESS: {S.IN_PROGRESS, S.RESOLVED}}


def route(*, kind: str, station: Station | None) -> tuple[Organization, str]:
    """(the organisation that handles it, why): see the module docstring."""
    rule = HelpRoute.objects.filter(kind=kind).select_related("organization").first()
    if rule is not None:
        return rule.organization, "kind"
    if station is not None:
        return station.responsible_office, "station"
    today = timezone.localdate()
    campaign = (
        Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related("organizer").first()
        or Campaign.objects.select_related("organizer").order_by("-starts_on").first()
    )
    if campaign is not None:
        return campaign.organizer, "campaign"
    root = Organization.objects.filter(parent=None, kind=Kind.OFFICE).order_by("pk").first()
    if root is None:
        raise Refused(_("暂时无法受理求助，请拨打站点服务热线。"))
    return root, "campaign"


@transaction.atomic
def help_request_file(
    *,
    by: Any = None,
    kind: str,
    description: str,
    phone_number: str,
    name: str = "",
    station: Station | None = None,
    place: str = "",
) -> HelpRequest:
    """File a request. `by` is the hotline operator when one types it in for a caller; None from the
    public page."""
    errors: Errors = {}
    if kind not in HelpKind.values:
        add(errors, "kind", _("请选择求助类型。"))
    description = text(description, "description", 2000, errors, _("请说明需要什么帮助。"))
    number = phone(phone_number, "phone", errors)
    name = text(name, "name", 30, errors)
    place = text(place, "place", 100, errors)
    raise_if(errors)
    organization, why = route(kind=kind, station=station)
    operator = by if by is not None and getattr(by, "is_authenticated", False) else None
    request = HelpRequest(
        code=codes.new_code(lambda c: HelpRequest.objects.filter(code=c).exists()),
        kind=kind,
        description=description,
        name=name,
        phone=number,
        station=station,
        place=place,
        organization=organization,
        routed_by=why,
        filed_by=operator,
    )
    audit.attribute(request, operator)
    request.save()
    where = station.name if station else place or _("未说明地点")
    from zhiyuan.notifications.handoffs import handoff_notify

    # the description and phone stay out of the message: personal data is never logged
    handoff_notify(
        event="help.routed",
        recipients=handlers(organization),
        context={
            "help_id": request.pk,
            "kind": request.get_kind_display(),
            "code": request.code,
            "where": where,
        },
    )
    return request


@transaction.atomic
def help_request_advance(*, by: Any, help_request: HelpRequest, status: str, note: str = "") -> HelpRequest:
    """Record a step: a note, and optionally the next status (已受理 → 办理中 → 已办结)."""
    require_change(by, help_request.organization, _("只有承办单位可以办理此求助。"))
    locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if locked.status == S.RESOLVED:
        raise Refused(_("此求助已办结。"))
    errors: Errors = {}
    if status not in NEXT[S(locked.status)]:
        add(errors, "status", _("不能从“%(s)s”改为此状态。") % {"s": locked.get_status_display()})
    note = text(note, "note", 2000, errors)
    if status == S.RESOLVED and not note:
        add(errors, "note", _("办结时请写明办理结果。"))
    if status == locked.status and not note:
        add(errors, "note", _("请填写办理情况。"))
    raise_if(errors)
    now = timezone.now()
    if status == S.IN_PROGRESS and locked.in_progress_at is None:
        locked.in_progress_at = now
    if status == S.RESOLVED:
        locked.resolved_at = now
        locked.in_progress_at = locked.in_progress_at or now
    locked.status = status
    locked.handler = by
    audit.attribute(locked, by, note[:100])
    locked.save()
    HelpRequestNote.objects.create(request=locked, status=status, text=note, by=by)
    return locked


def last4_matches(help_request: HelpRequest, last4: str) -> bool:
    digits = "".join(ch for ch in help_request.phone if ch.isdigit())
    return len(last4) == 4 and hmac.compare_digest(digits[-4:], last4)
