"""A leader's entries on the attendance board: signing a group in or out at a given time (BULK), closing
forgotten sign-outs (FIX, with a reason), and clearing a location flag after looking at it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import CheckIn
from zhiyuan.hours.services.checkin import checkin_record
from zhiyuan.hours.services.checkin_board import board_people, checkins_reviewable
from zhiyuan.organizations.roles import Perm

ACTIONS = ("in", "out", "fix")  # fix: a forgotten sign-out, closed afterwards with a reason


@dataclass(frozen=True)
class BulkResult:
    recorded: list[CheckIn]
    repeated: int  # entries a retried batch had already written


@transaction.atomic
def checkin_bulk(
    *,
    by: User,
    shift: Shift,
    volunteer_ids: list[int],
    action: str,
    at: datetime,
    key: str,
    reason: str = "",
) -> BulkResult:
    """All or nothing: one refused person refuses the batch, with every person's reason at once. The
    batch key makes a re-sent form or API call write nothing more."""
    if not access.can(by, Perm.ATTENDANCE_CHANGE, shift.organization):
        raise access.PermissionDenied(_("只有班次所属单位的队长可以批量签到、签退。"))
    errors: dict[str, list[str]] = {}
    if action not in ACTIONS:
        errors["action"] = [_("请选择签到、签退或补签退。")]
    if not volunteer_ids:
        errors["volunteer_ids"] = [_("请至少选择一名志愿者。")]
    if action == "fix" and not reason.strip():
        errors["reason"] = [_("补签退须说明原因。")]
    if not 8 <= len(key) <= 40:
        errors["key"] = [_("请求标识无效，请刷新页面后重试。")]
    people = board_people(shift)
    unknown = [str(pk) for pk in volunteer_ids if pk not in people]
    if unknown:
        errors.setdefault("volunteer_ids", []).append(
            _("不在本班次名单中：%(ids)s。") % {"ids": "、".join(unknown)}
        )
    if errors:
        raise ValidationError(errors)
    recorded, repeated, refused = [], 0, []
    for pk in sorted(set(volunteer_ids)):  # a name ticked twice is one entry; locks taken in pk order
        person = people[pk]
        try:
            # a savepoint per person, so one refusal is reported beside the others before all roll back
            with transaction.atomic():
                scan, new = checkin_record(
                    by=by,
                    volunteer=person.volunteer,
                    key=f"{key}:{pk}",
                    kind="in" if action == "in" else "out",
                    shift=None if person.adhoc else shift,
                    station=shift.station if person.adhoc else None,
                    at=at,
                    fix_reason=reason if action == "fix" else "",
                )
        except (Refused, ValidationError) as exc:
            message = str(exc) if isinstance(exc, Refused) else "；".join(exc.messages)
            refused.append(f"{person.volunteer.user.display_name}：{message}")
            continue
        if new:
            recorded.append(scan)
        else:
            repeated += 1
    if refused:
        raise ValidationError({"volunteer_ids": refused})
    return BulkResult(recorded, repeated)


@transaction.atomic
def checkin_flag_clear(*, by: User, checkin: CheckIn, note: str) -> CheckIn:
    """A leader looked at a flagged scan and accepts it; the flag's text stays, with who cleared it and why."""
    if not checkins_reviewable(by).filter(pk=checkin.pk).exists():
        raise access.PermissionDenied(_("只有班次或站点的负责人可以核查签到记录。"))
    if not note.strip():
        raise ValidationError({"note": [_("请填写核查说明。")]})
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if not checkin.needs_review:
        raise Refused(_("这条签到记录没有待核查的问题。"))
    checkin.flag_cleared_by, checkin.flag_cleared_at = by, timezone.now()
    checkin.flag_note = note.strip()[:200]
    checkin.save(update_fields=["flag_cleared_by", "flag_cleared_at", "flag_note", "updated_at"])
    return checkin
