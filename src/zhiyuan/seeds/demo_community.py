"""Demo data for community outreach: routing rules from the seed's own units, and fictitious help requests,
site visits with needs, events, a school donation and news — every invented name, place and text marked
（演示）, phones in the demo's 199 0000 xxxx range. Keyed on those texts, so a second run adds nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhiyuan.community.models import (
    CommunityEvent,
    HelpRequest,
    HelpRoute,
    NeedRecord,
    News,
    SchoolDonation,
    SiteVisit,
)
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.seeds.loader import Tally

N = NeedRecord


def _count(tally: Tally, created: bool) -> None:
    tally.count("created" if created else "unchanged")


def _routes(tally: Tally) -> None:
    # the seed names who handles wages (市人社局) and legal aid (法律援助志愿服务支队)
    for kind, name in (("wages", "市人社局"), ("legal", "法律援助志愿服务支队")):
        org = Organization.objects.filter(name=name).first()
        if org is not None:
            _, created = HelpRoute.objects.get_or_create(kind=kind, defaults={"organization": org})
            _count(tally, created)


def _help(tally: Tally, office: Organization, officer: User) -> None:
    for i, (kind, text) in enumerate(
        (
            ("tickets", "想订正月初八回周口的火车票，不会用手机订票（演示）"),
            ("information", "请问火车站附近哪里有免费热水（演示）"),
        )
    ):
        _, created = HelpRequest.objects.get_or_create(
            description=text,
            defaults={
                "code": f"DEMO{i + 1:04d}",
                "kind": kind,
                "phone": f"1990000{9000 + i:04d}",
                "place": "郑州火车站西广场（演示）",
                "organization": office,
                "routed_by": "campaign",
                "filed_by": officer if i else None,
            },
        )
        _count(tally, created)


def _needs(tally: Tally, district: Organization, officer: User) -> None:
    day = timezone.localdate() - timedelta(days=2)
    visit, created = SiteVisit.objects.get_or_create(
        site_name="金水区某住宅项目工地（演示）",
        defaults={
            "site_kind": SiteVisit.SiteKind.CONSTRUCTION,
            "organization": district,
            "district": district,
            "visited_on": day,
            "people_met": 36,
            "recorded_by": officer,
            "note": "与项目部、劳务公司一起走访（演示）",
        },
    )
    _count(tally, created)
    if not created:
        return
    rows: list[dict[str, Any]] = [
        {
            "plan": N.Plan.RETURN,
            "destination": "河南周口（演示）",
            "return_on": day + timedelta(days=12),
            "ticket": N.Ticket.WANTED,
            "phone": "19900009101",
        },
        {
            "plan": N.Plan.RETURN,
            "destination": "安徽阜阳（演示）",
            "return_on": day + timedelta(days=10),
            "ticket": N.Ticket.BOOKED,
            "phone": "19900009102",
        },
        {
            "plan": N.Plan.STAY,
            "wages": N.Wages.OWED,
            "owed_amount": Decimal("3600"),
            "employer": "某劳务分包公司（演示）",
        },
        {"plan": N.Plan.STAY, "wages": N.Wages.PAID},
    ]
    for row in rows:
        NeedRecord.objects.create(visit=visit, **row)
        tally.count("created")


def _events(tally: Tally, office: Organization, officer: User) -> None:
    start = timezone.localdate() + timedelta(days=5)
    tz = timezone.get_current_timezone()
    for kind, title, hour, capacity in (
        ("dumplings", "邻里守望·和留守工友一起包饺子（演示）", 15, 40),
        ("film", "工地电影夜：优秀影片放映（演示）", 19, 120),
    ):
        starts = datetime.combine(start, time(hour), tzinfo=tz)
        _, created = CommunityEvent.objects.get_or_create(
            title=title,
            defaults={
                "organization": office,
                "kind": kind,
                "place": "金水区某社区党群服务中心（演示）",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "capacity": capacity,
                "created_by": officer,
                "description": "欢迎外来务工人员和进城过年的家属报名参加（演示）",
            },
        )
        _count(tally, created)


def demo_community(tally: Tally) -> None:
    officer = User.objects.filter(username="officer").first()
    office = Organization.objects.filter(name="郑州市文明办").first()
    district = Organization.objects.filter(name="金水区文明办").first()
    if officer is None or office is None or district is None:
        return
    _routes(tally)
    _help(tally, office, officer)
    _needs(tally, district, officer)
    _events(tally, district, officer)
    _, created = SchoolDonation.objects.get_or_create(
        school="金水区某务工人员子女学校（演示）",
        items="保暖手套",
        defaults={
            "organization": district,
            "quantity": 300,
            "unit": "双",
            "donor": "某爱心企业（演示）",
            "donated_on": timezone.localdate() - timedelta(days=3),
            "recorded_by": officer,
        },
    )
    _count(tally, created)
    _, created = News.objects.get_or_create(
        title="志愿者走进工地，为返乡工友代订火车票（演示）",
        defaults={
            "organization": district,
            "body": "金水区文明单位志愿者走访辖区建筑工地，了解工友返乡、留守和工资发放情况，现场帮助工友电话订票、网络订票。（演示）",
            "source_label": "金水区文明办（演示）",
            "published_at": timezone.now(),
            "published_by": officer,
        },
    )
    _count(tally, created)
