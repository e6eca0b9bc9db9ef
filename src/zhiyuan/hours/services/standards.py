"""Writes for the hour standards an organisation sets for its subtree (issue 12 item 4): the weekly quota
(seed 001: 每周奉献五小时) and the star thresholds (星级志愿者). Reads are in services/compliance.py."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit
from zhiyuan.core.models import User
from zhiyuan.hours.models import StarThreshold, WeeklyQuota
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

MAX_WEEK = Decimal(168)  # hours in a week
MAX_STARS = 5
MAX_TOTAL = Decimal(100000)


@transaction.atomic
def quota_set(*, by: User, organization: Organization, hours: Decimal | None) -> WeeklyQuota | None:
    """The organisation's weekly quota, or (None) back to what it inherits from above."""
    access.require(by, Perm.HOURS_SETTINGS, organization)
    if hours is None:
        WeeklyQuota.objects.filter(organization=organization).delete()
        return None
    if not Decimal(0) < hours <= MAX_WEEK:
        raise ValidationError({"hours": _("每周时长须大于0且不超过168小时。")})
    quota, _created = WeeklyQuota.objects.update_or_create(
        organization=organization, defaults={"hours": hours}
    )
    audit.attribute(quota, by)
    return quota


@transaction.atomic
def star_thresholds_set(
    *, by: User, organization: Organization, thresholds: dict[int, Decimal | None]
) -> dict[int, Decimal]:
    """The organisation's own thresholds per star (a None star inherits); more stars need more hours."""
    access.require(by, Perm.HOURS_SETTINGS, organization)
    errors: dict[str, list[str]] = {}
    given = {s: h for s, h in thresholds.items() if h is not None}
    for stars, hours in given.items():
        if not 1 <= stars <= MAX_STARS:
            errors.setdefault("thresholds", []).append(_("星级须为1到5。"))
        elif not Decimal(0) < hours <= MAX_TOTAL:
            errors[f"star_{stars}"] = [_("%(s)d星的时长须大于0且不超过100000小时。") % {"s": stars}]
    ordered = [given[s] for s in sorted(given)]
    if any(b <= a for a, b in pairwise(ordered)):
        errors.setdefault("thresholds", []).append(_("星级越高，所需累计时长须越多。"))
    if errors:
        raise ValidationError(errors)
    StarThreshold.objects.filter(organization=organization).exclude(stars__in=list(given)).delete()
    for stars, hours in given.items():
        StarThreshold.objects.update_or_create(
            organization=organization, stars=stars, defaults={"hours": hours}
        )
    return dict(sorted(given.items()))
