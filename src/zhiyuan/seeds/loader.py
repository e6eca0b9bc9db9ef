"""`load_seeds`: the organisations and named people of both seed documents, idempotently.

Each row is found by its natural key (parent + name, user by seed username, membership by user + org +
role) and written only when something differs, so a second run changes nothing — not even the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from pypinyin import lazy_pinyin

from zhiyuan.core.models import User
from zhiyuan.organizations.models import Membership, Organization, UnitContact
from zhiyuan.seeds import orgs_chunyun_2019 as c2019
from zhiyuan.seeds import orgs_five_hours_2019 as f2019

SEED_CHANGE_REASON = "load_seeds"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def _save_if_changed(obj: Any, values: dict[str, Any], tally: Tally) -> Any:
    if obj.pk is not None and all(getattr(obj, k) == v for k, v in values.items()):
        tally.count("unchanged")
        return obj
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean(validate_unique=False)
    obj._change_reason = SEED_CHANGE_REASON
    is_new = obj.pk is None
    obj.save()
    tally.count("created" if is_new else "updated")
    return obj


def upsert_org(
    tally: Tally,
    *,
    name: str,
    kind: str,
    parent: Organization | None,
    aliases: list[str] | None = None,
    parent_agency: Organization | None = None,
    co_agencies: list[Organization] | None = None,
    **extra: str,
) -> Organization:
    org = Organization.objects.filter(parent=parent, name=name).first() or Organization(
        parent=parent, name=name
    )
    values: dict[str, Any] = {
        "kind": kind,
        "aliases": "\n".join(aliases or []),
        "parent_agency": parent_agency,
    }
    values.update(extra)
    org = _save_if_changed(org, values, tally)
    wanted = {a.pk for a in co_agencies or []}
    if set(org.co_agencies.values_list("pk", flat=True)) != wanted:
        org.co_agencies.set(wanted)
    return org


def upsert_person(tally: Tally, *, full_name: str) -> User:
    username = "seed_" + "".join(lazy_pinyin(full_name))
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name)
        user.set_unusable_password()
        user.save()
        tally.count("created")
        return user
    tally.count("unchanged")
    return user


def upsert_membership(
    tally: Tally, *, user: User, organization: Organization, role: str, title: str
) -> Membership:
    membership = Membership.objects.filter(user=user, organization=organization, role=role).first()
    return _save_if_changed(
        membership or Membership(user=user, organization=organization, role=role), {"title": title}, tally
    )


def upsert_contact(tally: Tally, *, organization: Organization, category: str, **values: str) -> UnitContact:
    contact = UnitContact.objects.filter(organization=organization, category=category).first()
    contact = contact or UnitContact(organization=organization, category=category)
    return _save_if_changed(contact, {"title": "", "mobile": "", "office_phone": "", **values}, tally)


def _load_chunyun(tally: Tally) -> dict[str, Organization]:
    city_values = dict(c2019.CITY_OFFICE)
    city = upsert_org(tally, parent=None, **city_values)  # type: ignore[arg-type]
    upsert_contact(tally, organization=city, **c2019.CITY_OFFICE_CONTACT)
    by_name: dict[str, Organization] = {city.name: city}
    for name, aliases in c2019.DISTRICT_OFFICES:
        by_name[name] = upsert_org(tally, name=name, kind="office", parent=city, aliases=aliases)
    for name in c2019.AGENCIES:
        by_name[name] = upsert_org(tally, name=name, kind="agency", parent=city)
    for name in c2019.UNITS:
        by_name[name] = upsert_org(tally, name=name, kind="unit", parent=city)
    for name, agency, co, aliases in c2019.BRIGADES:
        by_name[name] = upsert_org(
            tally,
            name=name,
            kind="brigade",
            parent=city,
            aliases=aliases,
            parent_agency=by_name[agency],
            co_agencies=[by_name[a] for a in co],
        )
    return by_name


def _load_five_hours(tally: Tally, chunyun: dict[str, Organization]) -> dict[str, Organization]:
    centre = upsert_org(
        tally,
        name=f2019.CENTRE,
        kind="unit",
        aliases=f2019.CENTRE_ALIASES,
        parent=chunyun[f2019.CENTRE_PARENT],
    )
    by_name = {centre.name: centre}
    for name in f2019.DEPARTMENTS:
        by_name[name] = upsert_org(tally, name=name, kind="unit", parent=centre)
    squadron = upsert_org(tally, name=f2019.SQUADRON, kind="squadron", parent=centre, parent_agency=centre)
    by_name[squadron.name] = squadron
    for full_name, role, title in f2019.SQUADRON_PEOPLE:
        person = upsert_person(tally, full_name=full_name)
        upsert_membership(tally, user=person, organization=squadron, role=role, title=title)
    for name, leads, description in f2019.KEY_TEAMS:
        by_name[name] = upsert_org(
            tally,
            name=name,
            kind="team",
            parent=squadron,
            parent_agency=by_name[leads[0]],
            co_agencies=[by_name[d] for d in leads[1:]],
            description=description,
        )
    for name, lead in f2019.DEPARTMENT_TEAMS:
        by_name[name] = upsert_org(
            tally,
            name=name,
            kind="team",
            parent=squadron,
            parent_agency=by_name[lead],
            description=f"N线并进：{lead}牵头组建",
        )
    return by_name


@transaction.atomic
def load_seeds() -> Tally:
    tally = Tally()
    chunyun = _load_chunyun(tally)
    _load_five_hours(tally, chunyun)
    from zhiyuan.seeds.campaigns_loader import load_campaigns

    load_campaigns(tally)
    from zhiyuan.seeds.report_rules import load_report_rules

    load_report_rules(tally)
    from zhiyuan.seeds.outreach_data import load_outreach

    load_outreach(tally)
    return tally
