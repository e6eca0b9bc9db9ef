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
            tell=False,  # fictitious people: no invitation SMS on the demo's console
            skills=picked,
            home_organization=None,
            availability=rng.sample(["6-am", "6-pm", "7-am", "7-pm", "5-eve"], k=2),
        )
        tally.count("created")


def demo_recruitment_and_training(tally: Tally, officer: User) -> None:
    """A published notice with a few applications, and the 培训手册 course required for 巾帼志愿服务支队.
    Dates are relative to today, so the demo never shows an expired notice."""
    from datetime import datetime, time
    from decimal import Decimal

    from django.utils import timezone

    from zhiyuan.organizations.models import Organization
    from zhiyuan.people.models import Recruitment, TrainingCourse
    from zhiyuan.people.services import recruitment as rs
    from zhiyuan.people.services import training as ts

    team = Organization.objects.get(name="巾帼志愿服务支队")
    today = timezone.localdate()
    title = "春运“温暖回乡路”郑州火车站志愿者招募（演示）"
    if Recruitment.objects.filter(title=title).exists():
        tally.count("unchanged")
    else:
        notice = rs.recruitment_create(
            by=officer,
            team=team,
            title=title,
            content="在郑州火车站东广场“文明使者”志愿服务站提供信息咨询、引导、热水和药品。",
            recipients="返乡外来务工人员",
            starts_on=today + timedelta(days=3),
            ends_on=today + timedelta(days=40),
            location="郑州火车站东广场",
            wanted=20,
            time_slots="每天 8:00-12:00、14:00-18:00",
            risks="人流密集，存在拥挤、走失风险；冬季室外低温。",
            insurance="由市文明办统一购买人身意外伤害保险（演示）",
            deadline=timezone.make_aware(datetime.combine(today + timedelta(days=2), time(18, 0))),
            training_offered="上岗前参加《培训手册》通用培训（2小时）",
        )
        rs.recruitment_publish(by=officer, recruitment=notice)
        for i, volunteer in enumerate(
            Volunteer.objects.filter(user__memberships__organization=team).distinct().order_by("pk")[:3]
        ):
            application = rs.application_create(by=volunteer.user, recruitment=notice, volunteer=volunteer)
            if i == 0:
                rs.application_decide(by=officer, application=application, approve=True)
        tally.count("created")
    name = "《培训手册》春运志愿服务通用培训（演示）"
    if TrainingCourse.objects.filter(name=name).exists():
        tally.count("unchanged")
        return
    course = ts.course_create(
        by=officer,
        organizer=Organization.objects.get(name="郑州市文明办"),
        name=name,
        content="春运服务礼仪、信息咨询、应急处置和安全知识。",
        hours=Decimal("2.0"),
        date=today,
        required_for=[team],
    )
    start = timezone.make_aware(datetime.combine(today + timedelta(days=7), time(9, 0)))
    ts.session_create(
        by=officer,
        course=course,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="郑州火车站东广场志愿服务站",
        capacity=30,
    )
    tally.count("created")


def demo_stations_for_five_hours(tally: Tally, officer: User) -> None:
    """Seed 001 asks each 工作站 to bring its 学雷锋“文明使者”志愿服务站 to the 六有一落实 standard by the end
    of July; the document names no 工作站, so the demo's fictitious ones get a station each, partly checked."""
    from zhiyuan.campaigns.models import Campaign, Station
    from zhiyuan.campaigns.services import stations as ss
    from zhiyuan.organizations.models import Organization
    from zhiyuan.seeds.campaign_five_hours_2019 import SLUG, STANDARD_DUE

    campaign = Campaign.objects.get(slug=SLUG)
    items = ["sign", "premises", "team", "rules", "ledger", "services", "activities"]
    for n, workstation in enumerate(Organization.objects.filter(kind="workstation").order_by("name")):
        name = f"{workstation.name}学雷锋“文明使者”志愿服务站"
        if Station.objects.filter(campaign=campaign, name=name).exists():
            tally.count("unchanged")
            continue
        station = ss.station_create(
            by=officer,
            responsible_office=workstation,
            name=name,
            place=workstation.name,
            campaign=campaign,
            standard_due_on=STANDARD_DUE,
            services=["information", "guidance"],
        )
        for item in items[: 7 - 2 * n]:  # the first station is up to standard, the others are not yet
            ss.standard_check_set(by=officer, station=station, item=item, met=True, note="（演示）")
        tally.count("created")


def demo_shifts(tally: Tally, officer: User) -> None:
    """This week's shifts at the 郑州火车站东广场 station for 消防志愿服务支队, one with its members on it."""
    from datetime import datetime, time

    from django.utils import timezone

    from zhiyuan.campaigns.models import Shift, Station
    from zhiyuan.campaigns.services import shifts as sh
    from zhiyuan.organizations.models import Organization

    team = Organization.objects.get(name="消防志愿服务支队")
    if Shift.objects.filter(organization=team, title__endswith="（演示）").exists():
        tally.count("unchanged")
        return
    station = Station.objects.filter(campaign__slug="chunyun-2019", sub_location="东广场").first()
    today = timezone.localdate()
    made = []
    for offset, (start, end) in [(1, (8, 12)), (1, (14, 18)), (3, (8, 12))]:
        day = today + timedelta(days=offset)
        begins = timezone.make_aware(datetime.combine(day, time(start)))
        made.append(
            sh.shift_create(
                by=officer,
                organization=team,
                station=station,
                title=f"东广场服务{start}:00班（演示）",
                starts_at=begins,
                ends_at=begins + timedelta(hours=end - start),
                capacity=3,
                minimum=2,
            )
        )
    for volunteer in (
        Volunteer.objects.filter(user__memberships__organization=team).distinct().order_by("pk")[:3]
    ):
        sh.signup_create(by=officer, shift=made[0], volunteer=volunteer)
    tally.count("created")


def demo_volunteer_bookings(tally: Tally, officer: User, user: User, team_name: str) -> None:
    """The `volunteer` login: a plain volunteer of the team, entered by it, booked on two of its demo
    shifts this week (they sign up themselves, as on the shift page)."""
    from zhiyuan.campaigns.models import Shift, Signup
    from zhiyuan.campaigns.services import shifts as sh
    from zhiyuan.organizations.models import Organization

    if Volunteer.objects.filter(user=user).exists():
        tally.count("unchanged")
        return
    team = Organization.objects.get(name=team_name)
    volunteer = volunteer_enter(
        by=officer,
        organization=team,
        full_name=user.full_name,
        mobile=user.mobile,
        id_type="resident",
        id_number=demo_id_number(random.Random(user.username)),
        consent_evidence="（演示）纸质登记表签字",
        availability=["6-am", "7-pm"],
    )
    booked = Signup.objects.filter(volunteer=volunteer).values("shift_id")
    shifts = Shift.objects.filter(organization=team, title__endswith="（演示）").exclude(pk__in=booked)
    for shift in shifts.order_by("starts_at", "pk")[1:]:
        sh.signup_create(by=user, shift=shift, volunteer=volunteer)
    tally.count("created")
