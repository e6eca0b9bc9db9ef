"""志愿服务证明 (办法 Arts. 14–17): issued free from the ledger, numbered, verifiable, revocable.

"谁记录谁证明": the hours on a certificate are those the issuing organisation (or its subtree) recorded.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit, sequences
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.core.site import absolute_url
from zhiyuan.hours.models import Certificate, LedgerEntry
from zhiyuan.hours.services.ledger import SHANGHAI, TWO
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

CONTENT_MAX = 500


_CHECK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I/O/0/1: read off paper without mistakes


def certificate_number(value: int, day: date) -> str:
    """Year, running number, and four random characters: the next certificate's number cannot be guessed
    from the previous one, so the verify page cannot be walked to list everyone's certificates."""
    tail = "".join(secrets.choice(_CHECK_ALPHABET) for _ in range(4))
    return f"ZM{day.year}-{value:06d}-{tail}"


def holder_masked(name: str) -> str:
    """王继跃 → 王*跃, 王五 → 王*: enough to match a paper certificate to the person holding it."""
    name = name.strip()
    if len(name) <= 1:
        return name or "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def verification_url(number: str) -> str:
    """The absolute public address that verifies a certificate (办法 Art. 17)."""
    return absolute_url(reverse("verify_certificate", args=[number]))


def _bounds(period_start: date, period_end: date) -> tuple[datetime, datetime]:
    start = datetime.combine(period_start, time.min, tzinfo=SHANGHAI)
    end = datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    return start, end


def certificate_entries(
    *, volunteer: Volunteer, issuer: Organization, period_start: date, period_end: date, campaign: Any = None
) -> QuerySet[LedgerEntry]:
    """The volunteer's ledger entries (credits and reversals) recorded by `issuer` or its subtree, starting
    within the Beijing period."""
    start, end = _bounds(period_start, period_end)
    entries = LedgerEntry.objects.filter(
        volunteer=volunteer,
        organization__path__startswith=issuer.path,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    if campaign is not None:
        entries = entries.filter(Q(shift__campaign=campaign) | Q(station__campaign=campaign))
    return entries


def issuer_choices(volunteer: Volunteer) -> QuerySet[Organization]:
    """Organisations a volunteer may ask for a certificate: where they are a member, and their home office."""
    ids = set(Membership.objects.filter(user_id=volunteer.user_id).values_list("organization_id", flat=True))
    if volunteer.home_organization_id:
        ids.add(volunteer.home_organization_id)
    return Organization.objects.filter(pk__in=ids).order_by("path")


def can_manage(user: Any, certificate: Certificate) -> bool:
    return access.can(user, Perm.CERTIFICATE_ISSUE, certificate.issuer)


def can_see(user: Any, certificate: Certificate) -> bool:
    """The certificate's owner, or someone who manages volunteers at the issuer."""
    if not (user and user.is_authenticated):
        return False
    return certificate.volunteer.user_id == user.pk or can_manage(user, certificate)


@transaction.atomic
def certificate_issue(
    *,
    by: User,
    volunteer: Volunteer,
    issuer: Organization,
    period_start: date,
    period_end: date,
    campaign: Any = None,
) -> Certificate:
    """Issue a certificate free of charge (办法 Art. 14): the volunteer for themself, or a volunteer manager
    of the issuer on their behalf. Hours and content come from the ledger, never from the request."""
    if volunteer.user_id != by.pk and not access.can(by, Perm.CERTIFICATE_ISSUE, issuer):
        raise access.PermissionDenied(_("只能为本人或本单位管理的志愿者出具证明。"))
    if volunteer.status == Volunteer.Status.ANONYMISED:
        raise Refused(_("该志愿者的信息已匿名化，不能出具证明。"))
    if period_end < period_start:
        raise ValidationError({"period_end": [_("截止日期不能早于起始日期。")]})
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": [_("截止日期不能晚于今天。")]})
    entries = certificate_entries(
        volunteer=volunteer,
        issuer=issuer,
        period_start=period_start,
        period_end=period_end,
        campaign=campaign,
    )
    hours = Decimal(entries.aggregate(t=Sum("hours"))["t"] or 0).quantize(TWO)
    if hours <= 0:
        raise Refused(_("所选期间内没有该单位记录的志愿服务时间，不能出具证明。"))
    live = entries.filter(kind=LedgerEntry.Kind.CREDIT, reversed_by__isnull=True)
    names = list(dict.fromkeys(live.order_by("starts_at").values_list("activity", flat=True)))
    content = "、".join(names)
    if len(content) > CONTENT_MAX:
        content = content[: CONTENT_MAX - 1] + "…"
    today = timezone.localdate()
    certificate = Certificate(
        number=certificate_number(sequences.allocate("certificate"), today),
        volunteer=volunteer,
        issuer=issuer,
        campaign=campaign,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        content=content,
        issued_by=by,
    )
    audit.attribute(certificate, by)
    certificate.save()
    return certificate


@transaction.atomic
def certificate_revoke(*, by: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (e.g. issued on records later corrected); verification then shows 已撤销."""
    if not can_manage(by, certificate):
        raise access.PermissionDenied(_("只有出具单位可以撤销证明。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("撤销须说明原因。")]})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise Refused(_("该证明已撤销。"))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()[:200]
    audit.attribute(certificate, by, reason=certificate.revoked_reason)
    certificate.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    return certificate


def my_certificates(volunteer: Volunteer) -> QuerySet[Certificate]:
    return Certificate.objects.filter(volunteer=volunteer).select_related("issuer").order_by("-created_at")
