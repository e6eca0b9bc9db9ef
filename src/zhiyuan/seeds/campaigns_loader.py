"""The two seed campaigns, loaded idempotently after the organisations (`zhiyuan load_seeds`)."""

from __future__ import annotations

from zhiyuan.campaigns.models import Campaign, Phase, Programme, ServiceItem, Station, StationLink
from zhiyuan.campaigns.services.rotation import (
    RotationSpec,
    rotation_plan,
    rotation_write,
    spring_festival_days,
)
from zhiyuan.organizations.models import Organization
from zhiyuan.seeds import campaign_chunyun_2019 as c2019
from zhiyuan.seeds import campaign_five_hours_2019 as f2019
from zhiyuan.seeds import orgs_five_hours_2019 as orgs001
from zhiyuan.seeds.loader import Tally, _save_if_changed


def _org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def _campaign(tally: Tally, slug: str, organizer: Organization, values: dict) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first() or Campaign(slug=slug)
    return _save_if_changed(campaign, {"organizer": organizer, **values}, tally)


def _phases(tally: Tally, campaign: Campaign, phases: list) -> None:
    for kind, name, starts_on, ends_on in phases:
        phase = campaign.phases.filter(name=name).first() or Phase(campaign=campaign, name=name)
        _save_if_changed(phase, {"kind": kind, "starts_on": starts_on, "ends_on": ends_on}, tally)


def _programme(tally: Tally, campaign: Campaign, order: int, name: str, description: str) -> Programme:
    programme = campaign.programmes.filter(name=name).first() or Programme(campaign=campaign, name=name)
    return _save_if_changed(programme, {"description": description, "order": order}, tally)


def _item(
    tally: Tally,
    programme: Programme,
    order: int,
    title: str,
    responsible: list[Organization],
    note: str = "",
    description: str = "",
) -> None:
    item = programme.items.filter(title=title).first() or ServiceItem(programme=programme, title=title)
    item = _save_if_changed(
        item, {"order": order, "responsible_note": note, "description": description}, tally
    )
    if set(item.responsible.values_list("pk", flat=True)) != {o.pk for o in responsible}:
        item.responsible.set(responsible)


def _chunyun(tally: Tally) -> None:
    campaign = _campaign(tally, c2019.SLUG, _org("郑州市文明办"), c2019.CAMPAIGN)
    _phases(tally, campaign, c2019.PHASES)
    for order, (name, description, items) in enumerate(c2019.PROGRAMMES):
        programme = _programme(tally, campaign, order, name, description)
        for i, (title, responsible, note) in enumerate(items):
            _item(tally, programme, i, title, [_org(n) for n in responsible], note)
    for order, (place, sub, points, teams, office) in enumerate(c2019.STATIONS):
        station = campaign.stations.filter(place=place, sub_location=sub).first() or Station(
            campaign=campaign, place=place, sub_location=sub
        )
        station = _save_if_changed(
            station,
            {
                "name": f"{place}{sub}“文明使者”志愿服务站",
                "points": points,
                "responsible_office": _org(office),
                "order": order,
                "services": c2019.SERVICES,
            },
            tally,
        )
        for i, team in enumerate(teams):
            StationLink.objects.get_or_create(station=station, team=_org(team), defaults={"order": i})
    if not campaign.duties.exists():
        spec = RotationSpec(
            organizations=[_org(name) for name, _label in c2019.ROTATION],
            places=c2019.ROTATION_PLACES,
            start=c2019.ROTATION_START,
            excluded=spring_festival_days(2019),
            exceptions=c2019.ROTATION_EXCEPTIONS,
            labels=[label for _name, label in c2019.ROTATION],
        )
        rotation_write(by=None, campaign=campaign, turns=rotation_plan(spec))
        tally.count("created")


def _five_hours(tally: Tally) -> None:
    centre = _org(orgs001.CENTRE)
    campaign = _campaign(tally, f2019.SLUG, centre, f2019.CAMPAIGN)
    _phases(tally, campaign, f2019.PHASES)
    key = _programme(tally, campaign, 0, *f2019.PROGRAMMES[0][:2])
    for i, (team, leads, description) in enumerate(orgs001.KEY_TEAMS):
        _item(tally, key, i, team, [_org(n) for n in leads], "各工作站", description)
    lines = _programme(tally, campaign, 1, *f2019.PROGRAMMES[1][:2])
    for i, (team, lead) in enumerate(orgs001.DEPARTMENT_TEAMS):
        _item(tally, lines, i, team, [_org(lead)])


def load_campaigns(tally: Tally) -> None:
    _chunyun(tally)
    _five_hours(tally)
