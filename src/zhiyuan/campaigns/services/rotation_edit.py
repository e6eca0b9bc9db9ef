"""The rotation from the workspace (issue 12 item 2): lay it with a preview, then swap two units' days.

`rotation_lay` builds the turns with `rotation.rotation_plan` (places alternate, excluded days skipped
without breaking the alternation) and writes them only when asked; `duties_swap` exchanges the responsible
units of two planned days, e.g. when 金水区 asks to trade its day with 二七区.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign, Duty
from zhiyuan.campaigns.services.rotation import RotationSpec, Turn, rotation_plan, rotation_write
from zhiyuan.core import access, audit, holidays
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

MAX_DAYS = 400


def rotation_lay(
    *,
    by: User,
    campaign: Campaign,
    organizations: Sequence[Organization],
    places: Sequence[str],
    start: date,
    end: date | None = None,
    skip_days: Sequence[date] = (),
    skip_holidays: bool = True,
    exceptions: dict[date, str] | None = None,
    labels: Sequence[str] = (),
    dry_run: bool = True,
) -> list[Turn]:
    """The turns from `start` (to `end`, or one day per unit), skipping `skip_days` and, with
    `skip_holidays`, the official rest days of the holiday calendar (春节). Written only without `dry_run`,
    replacing the planned duties (done or filed ones stay)."""
    access.require(by, Perm.CAMPAIGN_CHANGE, campaign.organizer)
    errors: dict[str, list[str]] = {}
    places = [p.strip() for p in places if p.strip()]
    if any(len(p) > 100 for p in places):
        errors["places"] = [_("地点名称不能超过100字。")]
    if not campaign.starts_on <= start <= campaign.ends_on:
        errors["start"] = [_("开始日期须在活动期间之内。")]
    if end is not None and end > campaign.ends_on:
        errors["end"] = [_("结束日期不能晚于活动结束日期（%(d)s）。") % {"d": campaign.ends_on.isoformat()}]
    if end is not None and (end - start).days > MAX_DAYS:
        errors["end"] = [_("排班期限过长。")]
    if errors:
        raise ValidationError(errors)
    excluded = set(skip_days)
    if skip_holidays:
        excluded |= holidays.rest_days(start, end or campaign.ends_on)
    turns = rotation_plan(
        RotationSpec(
            organizations=organizations,
            places=places,
            start=start,
            end=end,
            excluded=excluded,
            exceptions=exceptions or {},
            labels=labels,
        )
    )
    if turns and turns[-1].day > campaign.ends_on:
        raise ValidationError(
            {
                "end": [
                    _("排班排到了%(d)s，超出活动期间；请减少单位或调整日期。")
                    % {"d": turns[-1].day.isoformat()}
                ]
            }
        )
    if not dry_run:
        rotation_write(by=by, campaign=campaign, turns=turns)
    return turns


@transaction.atomic
def duties_swap(*, by: User, campaign: Campaign, first: Duty, second: Duty) -> tuple[Duty, Duty]:
    """The two days keep their dates and places; their units (with label and contact) change places."""
    access.require(by, Perm.CAMPAIGN_CHANGE, campaign.organizer)
    a, b = (
        Duty.objects.select_for_update().get(pk=pk, campaign=campaign) for pk in sorted([first.pk, second.pk])
    )
    if a.pk == b.pk:
        raise ValidationError({"second_id": _("请选择两个不同的日期。")})
    if a.status != Duty.Status.PLANNED or b.status != Duty.Status.PLANNED:
        raise Refused(_("只能交换尚未进行的安排。"))
    moved = ("responsible_id", "responsible_label", "contact_name", "contact_phone", "content")
    values = {f: getattr(a, f) for f in moved}
    for f in moved:
        setattr(a, f, getattr(b, f))
        setattr(b, f, values[f])
    for duty in (a, b):
        audit.attribute(duty, by, reason=_("交换责任单位"))
        duty.save()
    return a, b
