"""The living demo's campaigns, stations and people: a 春运 and a five-hours campaign running on `today`.

Both are cloned from their 2019 seed through `campaign_clone`, dated by each campaign's anchor (the seeds
stay the record of 2019). When
the clone's natural dates miss `today` (a December or a July demo), the whole clone is moved with
`campaign_move` so that `today` is its 28th day: four weeks have happened, the rest is ahead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhiyuan.campaigns.models import Campaign, Station
from zhiyuan.campaigns.services import emergency as em
from zhiyuan.campaigns.services import stations as ss
from zhiyuan.campaigns.services.clone import DateMover, campaign_clone
from zhiyuan.campaigns.services.schedule import campaign_move
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import Volunteer
from zhiyuan.people.services.volunteers import volunteer_enter
from zhiyuan.seeds.demo_people import demo_id_number
from zhiyuan.seeds.loader import Tally

DAYS_BEHIND = 27  # today is the campaign's 28th day when it had to be moved

# (place, sub-location) → (latitude, longitude, address); coordinates of the real places, addresses plain
PLACES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("郑州火车站", "东广场"): ("34.746600", "113.659200", "郑州市二七区二马路东广场"),
    ("郑州火车站", "西广场"): ("34.745300", "113.654100", "郑州市中原区西广场路"),
    ("郑州火车东站", ""): ("34.757000", "113.778300", "郑州市郑东新区心怡路"),
    ("郑州长途汽车中心站", ""): ("34.743700", "113.660500", "郑州市二七区二马路"),
    ("郑州长途汽车总站", ""): ("34.722000", "113.647000", "郑州市二七区大学路"),
    ("郑州长途汽车东站", ""): ("34.751200", "113.718000", "郑州市管城回族区商都路"),
    ("郑州长途汽车西站", ""): ("34.760700", "113.601000", "郑州市中原区建设西路"),
    ("郑州长途汽车南站", ""): ("34.696000", "113.642000", "郑州市二七区长江路"),
    ("郑州长途汽车北站", ""): ("34.800000", "113.655000", "郑州市金水区花园路"),
}
AIRPORT_ZONE = (Decimal("34.527000"), Decimal("113.846000"))  # 航空港区 IT 产业园, the demo's 工作站


@dataclass
class Living:
    today: date
    chunyun: Campaign
    five_hours: Campaign
    officer: User

    @property
    def campaigns(self) -> list[Campaign]:
        return [self.chunyun, self.five_hours]


def _runs(source: Campaign, year: int, today: date) -> bool:
    mover = DateMover(source.anchor, source.starts_on.year, year)
    return year != source.starts_on.year and mover.day(source.starts_on) <= today <= mover.day(source.ends_on)


def living_campaign(tally: Tally, *, officer: User, source_slug: str, today: date) -> Campaign:
    source = Campaign.objects.get(slug=source_slug)
    head = source_slug.rsplit("-", 1)[0]
    existing = (
        Campaign.objects.filter(cloned_from=source, starts_on__lte=today, ends_on__gte=today)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        tally.count("unchanged")
        return existing
    years = [y for y in (today.year - 1, today.year, today.year + 1) if _runs(source, y, today)]
    year = years[0] if years else today.year + (today.month > source.ends_on.month)
    slug = f"{head}-{year}"
    clone = Campaign.objects.filter(slug=slug).first()
    if clone is None:
        clone = campaign_clone(by=officer, source=source, year=year, slug=slug)
    if not clone.starts_on <= today <= clone.ends_on:
        days = (today - clone.starts_on).days - DAYS_BEHIND
        clone = campaign_move(by=officer, campaign=clone, days=days)
    tally.count("created")
    return clone


def station_details(tally: Tally, *, officer: User, campaign: Campaign) -> None:
    """Coordinates, address, hotline and opening hours on each station, so 按距离排序 means distance."""
    for n, station in enumerate(campaign.stations.order_by("pk")):
        if station.latitude is not None:
            tally.count("unchanged")
            continue
        known = PLACES.get((station.place, station.sub_location))
        if known:
            lat, lon, address = Decimal(known[0]), Decimal(known[1]), known[2]
        else:  # the fictitious 工作站 of the five-hours demo, spread around the 航空港区
            lat = AIRPORT_ZONE[0] + Decimal(n % 5) * Decimal("0.004")
            lon = AIRPORT_ZONE[1] + Decimal(n % 3) * Decimal("0.005")
            address = f"郑州航空港区IT产业园{station.place}（演示）"
        ss.station_update(
            by=officer,
            station=station,
            latitude=lat,
            longitude=lon,
            address=address,
            hotline=f"1990000{9100 + n:04d}",
            opening_hours="每天 8:00-20:00" if known else "周一至周五 9:00-17:00",
        )
        tally.count("updated")


def team_volunteers(
    tally: Tally, *, officer: User, team: Organization, count: int, index: int
) -> list[Volunteer]:
    """`count` fictitious volunteers entered by `team` (张某明, mobile 1990001xxxx), each made once."""
    rng = random.Random(f"living-{index}")
    made = []
    for i in range(count):
        mobile = f"19901{index:02d}{i:04d}"
        found = Volunteer.objects.filter(user__mobile=mobile).select_related("user").first()
        if found is not None:
            made.append(found)
            tally.count("unchanged")
            continue
        name = (
            rng.choice("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗") + "某" + rng.choice("明华军芳敏静丽强磊洋")
        )
        made.append(
            volunteer_enter(
                by=officer,
                organization=team,
                full_name=name,
                mobile=mobile,
                id_type="resident",
                id_number=demo_id_number(rng),
                consent_evidence="（演示）纸质登记表签字",
                availability=["6-am", "7-pm"],
            )
        )
        tally.count("created")
    return made


def emergency_pairings(tally: Tally, *, officer: User, campaign: Campaign) -> None:
    """Every station of the campaign paired with a team of its own, a plan, and one plan started."""
    from zhiyuan.campaigns.models import EmergencyPairing

    brigades = list(Organization.objects.filter(kind__in=["brigade", "squadron"]).order_by("path"))
    for n, station in enumerate(campaign.stations.order_by("pk")):
        taken = set(EmergencyPairing.objects.values_list("team_id", flat=True))
        free = [t for t in [*station.teams.order_by("pk"), *brigades] if t.pk not in taken]
        if hasattr(station, "emergency_pairing") or not free:
            tally.count("unchanged")
            continue
        em.pairing_set(by=officer, station=station, team=free[0])
        plan = em.plan_create(
            by=officer,
            station=station,
            trigger="站内滞留旅客超过2000人，或发生踩踏、火情等突发事件（演示）",
            steps="1. 站长通知结对队伍集合；2. 引导分流；3. 联系站区派出所与120（演示）",
            contacts="站长 1990000" + f"{9200 + n:04d}",
            supplies="扩音器、反光背心、急救包",
        )
        if n == 0:
            em.activation_start(by=officer, plan=plan, reason="大雪致列车晚点，候车室滞留旅客增多（演示）")
        tally.count("created")


def stations_of(campaign: Campaign) -> list[Station]:
    return list(
        campaign.stations.select_related("responsible_office").prefetch_related("teams").order_by("pk")
    )
