"""Demo volunteers: some of the fictitious demo people get a real-name profile, entered by their 支队 with
a recorded (fictitious) consent, and a fictitious but check-digit-valid ID number."""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhiyuan.core import ids
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Membership
from zhiyuan.people.models import Skill, Volunteer
from zhiyuan.people.services.volunteers import volunteer_enter
from zhiyuan.seeds.loader import Tally

# 410100: 郑州市 itself, no district — an address code no real resident number carries.
DEMO_REGION = "410100"


def demo_id_number(rng: random.Random) -> str:
    born = date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
    body = f"{DEMO_REGION}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ids.check_char(body)


def demo_volunteers(tally: Tally, officer: User) -> None:
    """Every demo 支队 member becomes a volunteer of their 支队 (idempotent: skips those who already are)."""
    rng = random.Random(42)
    skills = list(Skill.objects.all())
    memberships = (
        Membership.objects.filter(
            organization__kind="brigade", role="member", user__mobile__startswith="1990000"
        )
        .select_related("user", "organization")
        .order_by("pk")
    )
    for m in memberships:
        number = demo_id_number(rng)
        picked = rng.sample(skills, k=rng.randrange(0, 3))
        if Volunteer.objects.filter(user=m.user).exists():
            tally.count("unchanged")
            continue
        volunteer_enter(
            by=officer,
            organization=m.organization,
            full_name=m.user.full_name,
            mobile=m.user.mobile,
            id_type="resident",
            id_number=number,
            consent_evidence="（演示）纸质登记表签字",
            skills=picked,
            home_organization=None,
            availability=rng.sample(["6-am", "6-pm", "7-am", "7-pm", "5-eve"], k=2),
        )
        tally.count("created")
