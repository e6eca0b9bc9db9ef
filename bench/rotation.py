"""Bench case: laying out a rotation for 500 stations over 90 days (45,000 duties, generator, liaison
look-up and audit trail included) against a bare bulk insert of the same rows."""

from __future__ import annotations

import time
from datetime import date

STATIONS = 500
DAYS = 90


def cases() -> list[tuple[str, float, float, str]]:
    from zhiyuan.campaigns.models import Campaign, Duty
    from zhiyuan.campaigns.services.rotation import RotationSpec, rotation_plan, rotation_write
    from zhiyuan.organizations.models import Organization

    city = Organization.objects.create(name="基准排班文明办", kind="office")
    teams = [Organization(name=f"基准排班队{i}", kind="team", parent=city) for i in range(STATIONS)]
    for team in teams:
        team.save()
    start = date(2031, 1, 1)
    campaign = Campaign.objects.create(
        slug="bench-rotation", title="基准", organizer=city, starts_on=start, ends_on=date(2031, 12, 31)
    )

    began = time.perf_counter()
    for i in range(STATIONS):  # each station has its own order of teams, shifted by one
        order = teams[i:] + teams[:i]
        spec = RotationSpec(organizations=order[:DAYS], places=[f"站{i}"], start=start)
        rotation_write(by=None, campaign=campaign, turns=rotation_plan(spec), replace=False)
    value = time.perf_counter() - began
    assert Duty.objects.filter(campaign=campaign).count() == STATIONS * DAYS

    rows = list(Duty.objects.filter(campaign=campaign).values("date", "place", "responsible_id", "order"))
    Duty.objects.filter(campaign=campaign).delete()
    began = time.perf_counter()
    Duty.objects.bulk_create([Duty(campaign=campaign, **row) for row in rows], batch_size=1000)
    baseline = time.perf_counter() - began
    return [(f"rotation_{STATIONS}x{DAYS}_vs_bulk_insert", value, baseline, "s")]
