"""The scoreboard's filters as the page, the API, the export and the task receive them: checked once here.

A unit or campaign outside the user's scope is not found (404); bad dates are a ValidationError with every
bad field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhiyuan.campaigns.selectors.campaigns import campaign_list
from zhiyuan.core import access
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.selectors.scoreboard import Scoreboard, scoreboard
from zhiyuan.reporting.selectors.scoreboard_window import Window, parse_window

KEYS = ("period", "year", "month", "first", "last", "campaign", "rule", "unit")


@dataclass(frozen=True)
class Filters:
    window: Window
    campaign_id: int | None = None
    rule_id: int | None = None
    under: Organization | None = None

    def run(self, user: Any, now: datetime | None = None) -> Scoreboard:
        return scoreboard(
            user=user,
            window=self.window,
            campaign_id=self.campaign_id,
            rule_id=self.rule_id,
            under=self.under,
            now=now,
        )


def _id(value: Any, field: str, errors: dict[str, list[str]]) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit():
        errors[field] = [_("请填写正确的编号。")]
        return None
    return int(text)


def filters_from(user: Any, params: Mapping[str, Any]) -> Filters:
    errors: dict[str, list[str]] = {}
    try:
        window = parse_window(
            period=params.get("period") or None,
            year=params.get("year"),
            month=params.get("month"),
            first=params.get("first"),
            last=params.get("last"),
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    campaign_id = _id(params.get("campaign"), "campaign", errors)
    rule_id = _id(params.get("rule"), "rule", errors)
    unit_id = _id(params.get("unit"), "unit", errors)
    if errors:
        raise ValidationError(errors)
    if campaign_id is not None:
        campaign_id = access.get_or_404(campaign_list(user=user, perm=Perm.REPORT_VIEW), pk=campaign_id).pk
    under = None
    if unit_id is not None:
        under = access.get_or_404(access.organizations(user, Perm.REPORT_VIEW), pk=unit_id)
    return Filters(window=window, campaign_id=campaign_id, rule_id=rule_id, under=under)


def as_params(filters: Filters) -> dict[str, str]:
    """The filters back as query parameters (for the export link and the background task)."""
    w = filters.window
    out = {"period": "range", "first": w.first.isoformat(), "last": w.last.isoformat()}
    if filters.campaign_id:
        out["campaign"] = str(filters.campaign_id)
    if filters.rule_id:
        out["rule"] = str(filters.rule_id)
    if filters.under is not None:
        out["unit"] = str(filters.under.pk)
    return out
