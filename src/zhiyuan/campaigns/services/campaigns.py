"""Writes for campaigns: creating one, and cloning last year's to a new year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign, Phase, Programme, ServiceItem, StationLink
from zhiyuan.campaigns.services.rotation import rotation_plan, rotation_shifted, rotation_write
from zhiyuan.core import access, audit, holidays
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm


@transaction.atomic
def campaign_create(
    *, by: User, organizer: Organization, slug: str, title: str, starts_on: date, ends_on: date, **fields: Any
) -> Campaign:
    access.require(by, Perm.CAMPAIGN_CHANGE, organizer)
    campaign = Campaign(
        organizer=organizer, slug=slug, title=title, starts_on=starts_on, ends_on=ends_on, **fields
    )
    try:
        campaign.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    audit.attribute(campaign, by)
    campaign.save()
    return campaign


@transaction.atomic
def campaign_clone(*, by: User, source: Campaign, year: int, slug: str = "") -> Campaign:
    """The source campaign in `year`: its dates move so that everything keeps its distance to 春节; phases,
    programmes, service items, stations and their team links carry over; the rotation is laid again,
    skipping that year's 春节 holiday. Nothing of the source changes."""
    access.require(by, Perm.CAMPAIGN_CHANGE, source.organizer)
    shift: timedelta = holidays.spring_festival(year) - holidays.spring_festival(source.starts_on.year)
    slug = slug or _next_slug(source.slug, year)
    if Campaign.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("代码“%(slug)s”已被使用。") % {"slug": slug}})
    title = source.title.replace(str(source.starts_on.year), str(year))
    clone = Campaign(
        slug=slug,
        title=title,
        theme=source.theme,
        organizer=source.organizer,
        description=source.description,
        form_notes=dict(source.form_notes),
        starts_on=source.starts_on + shift,
        ends_on=source.ends_on + shift,
        cloned_from=source,
    )
    audit.attribute(clone, by)
    clone.save()
    for phase in source.phases.all():
        Phase.objects.create(
            campaign=clone,
            kind=phase.kind,
            name=phase.name,
            starts_on=phase.starts_on + shift,
            ends_on=phase.ends_on + shift,
        )
    for programme in source.programmes.prefetch_related("items__responsible"):
        copy = Programme.objects.create(
            campaign=clone, name=programme.name, description=programme.description, order=programme.order
        )
        for item in programme.items.all():
            new_item = ServiceItem.objects.create(
                programme=copy,
                title=item.title,
                description=item.description,
                responsible_note=item.responsible_note,
                order=item.order,
            )
            new_item.responsible.set(item.responsible.all())
    for station in source.stations.prefetch_related("links"):
        links = list(station.links.all())
        station.pk = None
        station._state.adding = True
        station.campaign = clone
        station.standard_due_on = station.standard_due_on + shift if station.standard_due_on else None
        station.save()
        StationLink.objects.bulk_create(
            [StationLink(station=station, team_id=link.team_id, order=link.order) for link in links]
        )
    if source.duties.exists():
        spec = rotation_shifted(source=source, year=year)
        rotation_write(by=by, campaign=clone, turns=rotation_plan(spec))
        last = clone.duties.order_by("-date").values_list("date", flat=True).first()
        if last and last > clone.ends_on:  # a longer holiday pushed the rotation past the old end
            clone.ends_on = last
            clone.save(update_fields=["ends_on", "updated_at"])
    return clone


def _next_slug(slug: str, year: int) -> str:
    head, _sep, tail = slug.rpartition("-")
    return f"{head}-{year}" if tail.isdigit() and head else f"{slug}-{year}"
