"""Writes for 赠票: donations (attachment 3), public claims that reserve tickets, collection by the donor's
unit, and expiry that gives unclaimed tickets back.

Stock: every change of `TicketDonation.claimed` happens with the donation row locked (`select_for_update`,
several donations locked in pk order), so 100 simultaneous claims against 30 tickets end with exactly 30
tickets reserved; the check constraint `ticket_not_overclaimed` is the last line behind the lock. On SQLite
the whole transaction is serialised by BEGIN IMMEDIATE instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.models import TicketClaim, TicketDonation
from zhiyuan.outreach.services.common import (
    Errors,
    add,
    check_owner,
    mobile,
    model_errors,
    new_code,
    raise_if,
    require_visible_then,
)

DONATION_FIELDS = (
    "campaign",
    "venue",
    "donor",
    "supervisor",
    "quantity",
    "requirements",
    "claim_time",
    "claim_place",
    "contact",
    "note",
    "title",
    "claim_opens_at",
    "claim_closes_at",
    "per_claim_limit",
    "hold_hours",
    "published",
)
MAX_PER_CLAIM = 50  # a per-donation cap may be lower, never higher
S = TicketClaim.Status


def _donation_errors(d: TicketDonation, errors: Errors) -> None:
    model_errors(d, errors, exclude=["organization"])
    if d.quantity is not None and d.quantity < d.claimed:
        add(errors, "quantity", _("已预约或领取%(n)d张，赠票数量不能少于此数。") % {"n": d.claimed})
    if d.quantity is not None and d.quantity < 1:
        add(errors, "quantity", _("赠票数量至少为1。"))
    if d.per_claim_limit is not None and not 1 <= d.per_claim_limit <= MAX_PER_CLAIM:
        add(errors, "per_claim_limit", _("每次最多领取应在1到%(n)d之间。") % {"n": MAX_PER_CLAIM})
    if d.hold_hours is not None and not 1 <= d.hold_hours <= 24 * 30:
        add(errors, "hold_hours", _("保留时长应在1到720小时之间。"))
    if d.claim_opens_at and d.claim_closes_at and d.claim_closes_at <= d.claim_opens_at:
        add(errors, "claim_closes_at", _("截止预约须晚于开始预约。"))


def donation_problems(donation: TicketDonation) -> Errors:
    errors: Errors = {}
    _donation_errors(donation, errors)
    return errors


@transaction.atomic
def donation_create(*, by: Any, organization: Organization | None, **fields: Any) -> TicketDonation:
    require_visible_then(by, organization, Perm.OUTREACH_CHANGE)
    unknown = set(fields) - set(DONATION_FIELDS)
    if unknown:
        raise_if({f: [_("不能修改此字段。")] for f in sorted(unknown)})
    donation = TicketDonation(organization=organization, **fields)
    errors: Errors = {}
    check_owner(by, organization, errors)
    _donation_errors(donation, errors)
    raise_if(errors)
    audit.attribute(donation, by)
    donation.save()
    return donation


@transaction.atomic
def donation_update(*, by: Any, donation: TicketDonation, **changes: Any) -> TicketDonation:
    access.require(by, Perm.OUTREACH_CHANGE, donation.organization)
    unknown = set(changes) - set(DONATION_FIELDS)
    if unknown:
        raise_if({f: [_("不能修改此字段。")] for f in sorted(unknown)})
    d = TicketDonation.objects.select_for_update().get(pk=donation.pk)
    for field, value in changes.items():
        setattr(d, field, value)
    errors: Errors = {}
    _donation_errors(d, errors)
    raise_if(errors)
    audit.attribute(d, by)
    d.save()
    return d


@transaction.atomic
def donation_delete(*, by: Any, donation: TicketDonation) -> None:
    access.require(by, Perm.OUTREACH_CHANGE, donation.organization)
    if donation.claims.exists():
        raise Refused(_("已有人预约这批赠票，不能删除；可取消公开。"))
    audit.attribute(donation, by)
    donation.delete()


# --- claims -----------------------------------------------------------------------------------------------


def _expire_locked(donation: TicketDonation, now: datetime) -> int:
    """With the donation row locked: reserved claims past their time become expired, their tickets return."""
    due = TicketClaim.objects.filter(donation=donation, status=S.RESERVED, expires_at__lte=now)
    returned = sum(due.values_list("quantity", flat=True))
    if returned:
        due.update(status=S.EXPIRED, updated_at=now)
        donation.claimed -= returned
        TicketDonation.objects.filter(pk=donation.pk).update(claimed=F("claimed") - returned, updated_at=now)
    return returned


def claim_problems(
    *, donation: TicketDonation, kind: str, name: str, phone: str, quantity: Any, contact_name: str = ""
) -> tuple[Errors, dict[str, Any]]:
    """Every bad field of a claim at once, and the cleaned values; reads nothing but the donation."""
    errors: Errors = {}
    name, contact_name = (name or "").strip(), (contact_name or "").strip()
    if kind not in TicketClaim.Kind.values:
        add(errors, "kind", _("请选择个人领取或单位集体领取。"))
    if not name:
        add(errors, "name", _("请填写单位名称。") if kind == TicketClaim.Kind.GROUP else _("请填写姓名。"))
    elif len(name) > 100:
        add(errors, "name", _("不能超过%(n)d个字。") % {"n": 100})
    if kind == TicketClaim.Kind.GROUP and not contact_name:
        add(errors, "contact_name", _("单位集体领取请填写联系人。"))
    if len(contact_name) > 50:
        add(errors, "contact_name", _("不能超过%(n)d个字。") % {"n": 50})
    phone = mobile(phone, errors)
    try:
        count = int(quantity)
    except (TypeError, ValueError):
        count = 0
        add(errors, "quantity", _("请填写领取数量。"))
    else:
        if count < 1:
            add(errors, "quantity", _("领取数量至少为1张。"))
        elif count > donation.per_claim_limit:
            add(errors, "quantity", _("每次最多领取%(n)d张。") % {"n": donation.per_claim_limit})
    values = {"kind": kind, "name": name, "contact_name": contact_name, "phone": phone, "quantity": count}
    return errors, values


def _open_now(donation: TicketDonation, now: datetime) -> None:
    if not donation.published:
        raise Refused(_("这批赠票未开放领取。"))
    if donation.claim_opens_at and now < donation.claim_opens_at:
        opens = timezone.localtime(donation.claim_opens_at).strftime("%m月%d日 %H:%M")
        raise Refused(_("%(t)s开始预约，请届时再来。") % {"t": opens})
    if donation.claim_closes_at and now >= donation.claim_closes_at:
        raise Refused(_("这批赠票已截止预约。"))


@transaction.atomic
def claim_create(
    *,
    by: Any = None,
    donation: TicketDonation,
    kind: str = TicketClaim.Kind.PERSON,
    name: str,
    phone: str,
    quantity: Any,
    contact_name: str = "",
    now: datetime | None = None,
) -> TicketClaim:
    """Reserve tickets for a person or for an organisation's group; anyone may claim (`by` may be None)."""
    now = now or timezone.now()
    errors, values = claim_problems(
        donation=donation, kind=kind, name=name, phone=phone, quantity=quantity, contact_name=contact_name
    )
    raise_if(errors)
    locked = TicketDonation.objects.select_for_update().get(pk=donation.pk)
    _open_now(locked, now)
    _expire_locked(locked, now)
    if TicketClaim.objects.filter(donation=locked, phone=values["phone"], status=S.RESERVED).exists():
        raise Refused(_("该手机号已预约这批赠票，请凭领取码领取，或先取消原预约。"))
    remaining = locked.quantity - locked.claimed
    if remaining <= 0:
        raise Refused(_("这批赠票已领完。"))
    if values["quantity"] > remaining:
        raise Refused(_("只剩%(n)d张，请减少领取数量。") % {"n": remaining})
    claim = TicketClaim(donation=locked, expires_at=now + timedelta(hours=locked.hold_hours), **values)
    for _attempt in range(3):
        claim.code = new_code()
        try:
            with transaction.atomic():
                audit.attribute(claim, by)
                claim.save()
            break
        except IntegrityError:  # a code collision, about once in 10^14 claims
            claim.pk = None
    else:
        raise Refused(_("系统繁忙，请稍后再试。"))
    TicketDonation.objects.filter(pk=locked.pk).update(
        claimed=F("claimed") + values["quantity"], updated_at=now
    )
    return claim


def _locked_claim(claim: TicketClaim) -> tuple[TicketDonation, TicketClaim]:
    donation = TicketDonation.objects.select_for_update().get(pk=claim.donation_id)
    return donation, TicketClaim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def claim_collect(*, by: Any, claim: TicketClaim, now: datetime | None = None) -> TicketClaim:
    """The donor's unit hands the tickets over (scanning the claim's QR code)."""
    now = now or timezone.now()
    access.require(by, Perm.TICKET_COLLECT, claim.donation.organization)
    donation, c = _locked_claim(claim)
    _expire_locked(donation, now)
    c.refresh_from_db()
    if c.status == S.COLLECTED:
        raise Refused(
            _("该领取码已于%(t)s核销。")
            % {"t": timezone.localtime(c.collected_at).strftime("%m月%d日 %H:%M")}
        )
    if c.status != S.RESERVED:
        raise Refused(_("该预约%(s)s，不能领取。") % {"s": c.get_status_display()})
    c.status, c.collected_at, c.closed_by = S.COLLECTED, now, by
    audit.attribute(c, by)
    c.save(update_fields=["status", "collected_at", "closed_by", "updated_at"])
    return c


@transaction.atomic
def claim_cancel(*, by: Any, claim: TicketClaim, now: datetime | None = None) -> TicketClaim:
    """Give a reserved claim back: by the donor's unit, or by the claimant who holds the code (`by` None)."""
    now = now or timezone.now()
    if by is not None and getattr(by, "is_authenticated", False):
        access.require(by, Perm.TICKET_COLLECT, claim.donation.organization)
    donation, c = _locked_claim(claim)
    _expire_locked(donation, now)
    c.refresh_from_db()
    if c.status != S.RESERVED:
        raise Refused(_("该预约%(s)s，不能取消。") % {"s": c.get_status_display()})
    c.status = S.CANCELLED
    c.closed_by = by if getattr(by, "is_authenticated", False) else None
    audit.attribute(c, by)
    c.save(update_fields=["status", "closed_by", "updated_at"])
    TicketDonation.objects.filter(pk=donation.pk).update(claimed=F("claimed") - c.quantity, updated_at=now)
    return c


def claims_expire(*, now: datetime | None = None) -> int:
    """Every reserved claim past its time, across donations: tickets back to stock. Returns tickets freed.

    Cheap when nothing is due (one indexed query), so pages call it on read; the task runs it on a timer."""
    now = now or timezone.now()
    due = sorted(
        set(
            TicketClaim.objects.filter(status=S.RESERVED, expires_at__lte=now).values_list(
                "donation_id", flat=True
            )
        )
    )
    if not due:
        return 0
    freed = 0
    with transaction.atomic():
        for donation in TicketDonation.objects.select_for_update().filter(pk__in=due).order_by("pk"):
            freed += _expire_locked(donation, now)
    return freed
