"""A person's notification preferences: read with the defaults filled in, and written in one validated step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.core.models import User
from zhiyuan.notifications.models import URGENT_KINDS, Channel, Kind, Preference

# What a person can choose channels for: every kind but the digest itself
CHOOSABLE = [k for k in Kind if k != Kind.DIGEST]


@dataclass(frozen=True)
class Row:
    kind: str
    label: str
    urgent: bool
    email: bool
    sms: bool


def preference_of(user: User) -> Preference:
    """The stored preference, or an unsaved one with the defaults (everything on, no digest, no quiet)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def preference_rows(preference: Preference) -> list[Row]:
    return [
        Row(
            kind=k.value,
            label=str(k.label),
            urgent=k.value in URGENT_KINDS,
            email=preference.wants(k.value, Channel.EMAIL),
            sms=preference.wants(k.value, Channel.SMS),
        )
        for k in CHOOSABLE
    ]


@transaction.atomic
def preference_set(
    *,
    by: User,
    muted: dict[str, list[str]],
    digest: bool,
    quiet_from: time | None,
    quiet_to: time | None,
) -> Preference:
    """Replace the person's preference. Urgent kinds cannot be muted (refused, not silently dropped)."""
    errors: dict[str, list[str]] = {}
    kinds = {k.value for k in CHOOSABLE}
    clean: dict[str, list[str]] = {}
    for kind, channels in muted.items():
        if kind not in kinds:
            errors.setdefault("muted", []).append(_("未知的通知类别：%(k)s") % {"k": kind})
            continue
        unknown = set(channels) - set(Channel.values)
        if unknown:
            errors.setdefault("muted", []).append(_("未知的渠道：%(c)s") % {"c": "、".join(sorted(unknown))})
            continue
        if kind in URGENT_KINDS and channels:
            errors.setdefault("muted", []).append(_("应急响应通知不能关闭。"))
            continue
        if channels:
            clean[kind] = sorted(set(channels))
    if (quiet_from is None) != (quiet_to is None):
        errors.setdefault("quiet_to", []).append(_("免打扰时段须同时填写开始和结束时间。"))
    elif quiet_from is not None and quiet_from == quiet_to:
        errors.setdefault("quiet_to", []).append(_("免打扰的开始和结束时间不能相同。"))
    if errors:
        raise ValidationError(errors)
    preference = Preference.objects.select_for_update().filter(user=by).first() or Preference(user=by)
    preference.muted, preference.digest = clean, digest
    preference.quiet_from, preference.quiet_to = quiet_from, quiet_to
    preference.save()
    return preference
