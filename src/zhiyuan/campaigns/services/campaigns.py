"""Writes for campaigns: creating and editing one from the workspace (cloning is in services/clone.py).

Every problem is reported at once, in Chinese, and a rejected save writes nothing: the campaign, its
phases and its programmes are checked together before the first row is touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Anchor, Campaign, Phase, Programme, ServiceItem
from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

EDITABLE_FIELDS = ("title", "theme", "description", "starts_on", "ends_on", "anchor", "organizer")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ItemSpec:
    title: str
    responsible: Sequence[Organization] = ()
    responsible_note: str = ""
    description: str = ""


@dataclass(frozen=True)
class ProgrammeSpec:
    name: str
    description: str = ""
    items: Sequence[ItemSpec] = field(default_factory=tuple)


def _problems(
    *,
    campaign: Campaign,
    phases: Sequence[PhaseSpec] | None,
    programmes: Sequence[ProgrammeSpec] | None,
    check_slug: bool,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not campaign.title.strip():
        add("title", _("请填写活动名称。"))
    if check_slug:
        if not _SLUG.match(campaign.slug or ""):
            add("slug", _("代码只能由小写字母、数字和连字符组成，如 chunyun-2027。"))
        elif Campaign.objects.filter(slug=campaign.slug).exclude(pk=campaign.pk).exists():
            add("slug", _("代码“%(slug)s”已被使用。") % {"slug": campaign.slug})
    if campaign.anchor not in Anchor.values:
        add("anchor", _("请选择日期锚定方式。"))
    if campaign.starts_on and campaign.ends_on:
        if campaign.ends_on < campaign.starts_on:
            add("ends_on", _("结束日期不能早于开始日期。"))
        elif (campaign.ends_on - campaign.starts_on).days > 366 * 2:
            add("ends_on", _("活动期限不能超过两年。"))
    for i, phase in enumerate(phases or ()):
        key = f"phases.{i}"
        if phase.kind not in Phase.Kind.values:
            add(key, _("第%(n)d个阶段：请选择阶段类型。") % {"n": i + 1})
        if not phase.name.strip():
            add(key, _("第%(n)d个阶段：请填写名称。") % {"n": i + 1})
        if phase.ends_on < phase.starts_on:
            add(key, _("“%(p)s”的结束日期不能早于开始日期。") % {"p": phase.name})
        elif (
            campaign.starts_on
            and campaign.ends_on
            and not (campaign.starts_on <= phase.starts_on and phase.ends_on <= campaign.ends_on)
        ):
            add(key, _("“%(p)s”须在活动期间之内。") % {"p": phase.name})
    names = [p.name for p in phases or ()]
    if len(set(names)) != len(names):
        add("phases", _("阶段名称不能重复。"))
    for i, programme in enumerate(programmes or ()):
        if not programme.name.strip():
            add(f"programmes.{i}", _("第%(n)d个项目：请填写名称。") % {"n": i + 1})
        for j, item in enumerate(programme.items):
            if not item.title.strip():
                add(
                    f"programmes.{i}.items.{j}",
                    _("“%(p)s”的第%(n)d项：请填写服务内容。") % {"p": programme.name, "n": j + 1},
                )
    return errors


def _check_organisations(by: User, organizations: Sequence[Organization], key: str) -> None:
    """Responsible units are named by id: only those the user may see (a body id is scoped like a URL id)."""
    seen = set(
        access.organizations(by, Perm.ORG_VIEW)
        .filter(pk__in=[o.pk for o in organizations])
        .values_list("pk", flat=True)
    )
    missing = [o.pk for o in organizations if o.pk not in seen]
    if missing:
        raise ValidationError({key: _("未找到单位：%(ids)s。") % {"ids": "、".join(map(str, missing))}})


def _write_phases(campaign: Campaign, phases: Sequence[PhaseSpec]) -> None:
    campaign.phases.all().delete()
    Phase.objects.bulk_create(
        [
            Phase(campaign=campaign, kind=p.kind, name=p.name, starts_on=p.starts_on, ends_on=p.ends_on)
            for p in phases
        ]
    )


def _write_programmes(campaign: Campaign, programmes: Sequence[ProgrammeSpec]) -> None:
    campaign.programmes.all().delete()  # items go with them (CASCADE)
    for order, spec in enumerate(programmes):
        programme = Programme.objects.create(
            campaign=campaign, name=spec.name, description=spec.description, order=order
        )
        for i, item_spec in enumerate(spec.items):
            item = ServiceItem.objects.create(
                programme=programme,
                title=item_spec.title,
                description=item_spec.description,
                responsible_note=item_spec.responsible_note,
                order=i,
            )
            item.responsible.set(item_spec.responsible)


def _all_units(programmes: Sequence[ProgrammeSpec] | None) -> list[Organization]:
    return [o for p in programmes or () for item in p.items for o in item.responsible]


@transaction.atomic
def campaign_create(
    *,
    by: User,
    organizer: Organization,
    slug: str,
    title: str,
    starts_on: date,
    ends_on: date,
    theme: str = "",
    description: str = "",
    anchor: str = Anchor.CALENDAR,
    phases: Sequence[PhaseSpec] = (),
    programmes: Sequence[ProgrammeSpec] = (),
) -> Campaign:
    """A new campaign organised by `organizer`, with its phases and programmes, or nothing at all."""
    access.require(by, Perm.CAMPAIGN_CHANGE, organizer)
    campaign = Campaign(
        organizer=organizer,
        slug=slug.strip(),
        title=title.strip(),
        theme=theme,
        description=description,
        anchor=anchor,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    errors = _problems(campaign=campaign, phases=phases, programmes=programmes, check_slug=True)
    if errors:
        raise ValidationError(errors)
    _check_organisations(by, _all_units(programmes), "programmes")
    audit.attribute(campaign, by)
    campaign.save()
    _write_phases(campaign, phases)
    _write_programmes(campaign, programmes)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    by: User,
    campaign: Campaign,
    phases: Sequence[PhaseSpec] | None = None,
    programmes: Sequence[ProgrammeSpec] | None = None,
    **changes: Any,
) -> Campaign:
    """Change a campaign while it is planned or running; `phases`/`programmes`, when given, replace the
    campaign's. The change is in the campaign's history, signed by `by`."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    access.require(by, Perm.CAMPAIGN_CHANGE, campaign.organizer)
    if campaign.ends_on < timezone.localdate():
        raise Refused(_("活动已结束，不能再修改；可复制到新的一年。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({k: _("此项不能修改。") for k in sorted(unknown)})
    if "organizer" in changes and changes["organizer"] != campaign.organizer:
        access.require(by, Perm.CAMPAIGN_CHANGE, changes["organizer"])
    for key, value in changes.items():
        setattr(campaign, key, value.strip() if isinstance(value, str) else value)
    if phases is None:  # the period must still hold the phases the campaign keeps
        phases = [PhaseSpec(p.kind, p.name, p.starts_on, p.ends_on) for p in campaign.phases.all()]
        keep_phases = True
    else:
        keep_phases = False
    errors = _problems(campaign=campaign, phases=phases, programmes=programmes, check_slug=False)
    if errors:
        raise ValidationError(errors)
    _check_organisations(by, _all_units(programmes), "programmes")
    audit.attribute(campaign, by)
    campaign.save()
    if not keep_phases:
        _write_phases(campaign, phases)
    if programmes is not None:
        _write_programmes(campaign, programmes)
    return campaign
