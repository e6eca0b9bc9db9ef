"""Builders shared by the reporting tests: a campaign, rules of each deadline kind, a liaison."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.factories import MembershipFactory, OrganizationFactory
from zhiyuan.campaigns.models import Campaign, Duty
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import DeadlineKind, Form, RelativeTo, ReportRule

BJ = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def bj(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BJ)


def campaign(
    organizer: Organization, slug: str = "c", starts: date = date(2019, 1, 21), ends: date = date(2019, 3, 1)
) -> Campaign:
    return Campaign.objects.create(slug=slug, title=slug, organizer=organizer, starts_on=starts, ends_on=ends)


def rule(
    c: Campaign | None, *, applies_to: Organization | None = None, kinds: list[str] | None = None, **kw: Any
) -> ReportRule:
    values: dict[str, Any] = {
        "title": kw.pop("title", f"rule-{ReportRule.objects.count() + 1}"),
        "form": kw.pop("form", Form.DAILY_BRIEF),
        "deadline_kind": kw.pop("deadline_kind", DeadlineKind.DAILY),
    }
    values.update(kw)
    r = ReportRule(campaign=c, applies_to=applies_to, applies_to_kinds=kinds or [], **values)
    r.full_clean()
    r.save()
    return r


def daily(c: Campaign | None, at: time = time(15, 30), **kw: Any) -> ReportRule:
    return rule(c, deadline_kind=DeadlineKind.DAILY, due_time=at, **kw)


def weekly(c: Campaign | None, weekday: int = 4, at: time = time(15, 0), **kw: Any) -> ReportRule:
    kw.setdefault("form", Form.WEEKLY_SUMMARY)
    return rule(c, deadline_kind=DeadlineKind.WEEKLY, weekday=weekday, due_time=at, **kw)


def absolute(c: Campaign | None, due: datetime, **kw: Any) -> ReportRule:
    kw.setdefault("form", Form.PLAN)
    return rule(c, deadline_kind=DeadlineKind.ABSOLUTE, due_at=due, **kw)


def after_duty(c: Campaign, hours: int = 24, **kw: Any) -> ReportRule:
    return rule(
        c,
        deadline_kind=DeadlineKind.RELATIVE,
        form=Form.ACTIVITY_REPORT,
        relative_to=RelativeTo.DUTY_END,
        relative_hours=hours,
        **kw,
    )


def duty(c: Campaign, org: Organization, day: date, **kw: Any) -> Duty:
    return Duty.objects.create(
        campaign=c,
        date=day,
        place=kw.pop("place", "郑州火车站"),
        responsible=org,
        content=kw.pop("content", "文明引导"),
        **kw,
    )


def unit(parent: Organization, name: str | None = None, kind: str = Kind.UNIT) -> Organization:
    return OrganizationFactory(parent=parent, kind=kind, **({"name": name} if name else {}))


def liaison(org: Organization, role: str = Role.LIAISON) -> Any:
    return MembershipFactory(organization=org, role=role).user


def test_builders_make_valid_rules(world: Any) -> None:
    c = campaign(world.city)
    assert daily(c, applies_to=world.city, kinds=[Kind.OFFICE]).deadline_kind == DeadlineKind.DAILY
    with pytest.raises(ValidationError):
        rule(c, deadline_kind=DeadlineKind.WEEKLY, due_time=time(15), weekday=None)
