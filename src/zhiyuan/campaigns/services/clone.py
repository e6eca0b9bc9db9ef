"""Cloning last year's campaign to a new year (issue 12 item 5).

A campaign is anchored either to 春节 (春运: every date keeps its distance to the lunar new year, and the
rotation skips that year's 春节 holiday) or to the calendar (the five-hours campaign: 7/26 stays 7/26 and
the stations' 7/31 deadline stays 7/31). `clone_preview` lists every date that moves, before anything is
written; `campaign_clone` writes exactly that preview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Anchor, Campaign, Phase, Programme, ServiceItem, StationLink
from zhiyuan.campaigns.services.rotation import Turn, rotation_plan, rotation_shifted, rotation_write
from zhiyuan.core import access, audit, holidays
from zhiyuan.core.models import User
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import ReportRule

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DateMover:
    """Moves a date of the source campaign's year to the clone's year, as the campaign's anchor says."""

    anchor: str
    source_year: int
    year: int

    @property
    def years(self) -> int:
        return self.year - self.source_year

    def day(self, value: date) -> date:
        if self.anchor == Anchor.SPRING_FESTIVAL:
            return value + (holidays.spring_festival(self.year) - holidays.spring_festival(self.source_year))
        target = value.year + self.years
        try:
            return value.replace(year=target)
        except ValueError:  # 2/29 in a year that has none
            return date(target, 2, 28)

    def moment(self, value: datetime) -> datetime:
        """A deadline keeps its Beijing wall-clock time (12时 stays 12时) on the moved day."""
        local = value.astimezone(SHANGHAI)
        return datetime.combine(self.day(local.date()), local.time(), tzinfo=SHANGHAI)

    def optional(self, value: date | None) -> date | None:
        return self.day(value) if value else None


@dataclass(frozen=True)
class MovedDate:
    section: str  # 活动 / 阶段 / 站点 / 上报规则 / 集中服务
    what: str
    before: date | datetime
    after: date | datetime

    @property
    def with_time(self) -> bool:
        return isinstance(self.before, datetime)


@dataclass
class ClonePreview:
    source: Campaign
    year: int
    slug: str
    title: str
    anchor: str
    starts_on: date
    ends_on: date
    dates: list[MovedDate] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)


def _next_slug(slug: str, year: int) -> str:
    head, _sep, tail = slug.rpartition("-")
    return f"{head}-{year}" if tail.isdigit() and head else f"{slug}-{year}"


def _turns(source: Campaign, mover: DateMover) -> list[Turn]:
    if not source.duties.exists():
        return []
    if mover.anchor == Anchor.SPRING_FESTIVAL:
        return rotation_plan(rotation_shifted(source=source, year=mover.year))
    # calendar-anchored: each duty on the same month and day, same place and unit
    return [
        Turn(mover.day(d.date), d.place, d.responsible, d.responsible_label)
        for d in source.duties.select_related("responsible").order_by("date", "order")
    ]


def clone_preview(*, source: Campaign, year: int, slug: str = "") -> ClonePreview:
    """Every date the clone would have, beside the source's, without writing anything."""
    if not 2000 <= year <= 2099:
        raise ValidationError({"year": _("年份须在2000到2099之间。")})
    if year == source.starts_on.year:
        raise ValidationError({"year": _("请选择与原活动不同的年份。")})
    mover = DateMover(source.anchor, source.starts_on.year, year)
    slug = slug or _next_slug(source.slug, year)
    if Campaign.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("代码“%(slug)s”已被使用。") % {"slug": slug}})
    turns = _turns(source, mover)
    ends_on = mover.day(source.ends_on)
    if turns and turns[-1].day > ends_on:  # a longer holiday pushed the rotation past the old end
        ends_on = max(t.day for t in turns)
    preview = ClonePreview(
        source=source,
        year=year,
        slug=slug,
        title=source.title.replace(str(source.starts_on.year), str(year)),
        anchor=source.anchor,
        starts_on=mover.day(source.starts_on),
        ends_on=ends_on,
        turns=turns,
    )
    add = preview.dates.append
    add(MovedDate(_("活动"), _("开始日期"), source.starts_on, preview.starts_on))
    add(MovedDate(_("活动"), _("结束日期"), source.ends_on, preview.ends_on))
    for phase in source.phases.all():
        add(MovedDate(_("阶段"), phase.name, phase.starts_on, mover.day(phase.starts_on)))
        add(MovedDate(_("阶段"), phase.name, phase.ends_on, mover.day(phase.ends_on)))
    for station in source.stations.exclude(standard_due_on=None):
        assert station.standard_due_on is not None
        what = _("%(name)s 达标期限") % {"name": station.name}
        add(MovedDate(_("站点"), what, station.standard_due_on, mover.day(station.standard_due_on)))
    for rule in source.report_rules.all():
        if rule.due_at:
            add(MovedDate(_("上报规则"), rule.title, rule.due_at, mover.moment(rule.due_at)))
        for label, value in ((_("起始日期"), rule.active_from), (_("截止日期"), rule.active_to)):
            if value:
                add(MovedDate(_("上报规则"), f"{rule.title} {label}", value, mover.day(value)))
    old = source.duties.select_related("responsible").order_by("date", "order")
    for duty, turn in zip(old, turns, strict=False):
        what = f"{turn.place} {turn.label or turn.organization.name}"
        add(MovedDate(_("集中服务"), what, duty.date, turn.day))
    return preview


@transaction.atomic
def campaign_clone(*, by: User, source: Campaign, year: int, slug: str = "") -> Campaign:
    """The source campaign in `year`, dated as its anchor says (see `clone_preview`): phases, programmes,
    service items, stations with their team links and due dates, the report rules with their deadlines,
    and the rotation. Nothing of the source changes."""
    access.require(by, Perm.CAMPAIGN_CHANGE, source.organizer)
    preview = clone_preview(source=source, year=year, slug=slug)
    mover = DateMover(source.anchor, source.starts_on.year, year)
    clone = Campaign(
        slug=preview.slug,
        title=preview.title,
        theme=source.theme,
        organizer=source.organizer,
        description=source.description,
        form_notes=dict(source.form_notes),
        anchor=source.anchor,
        starts_on=preview.starts_on,
        ends_on=preview.ends_on,
        cloned_from=source,
    )
    audit.attribute(clone, by)
    clone.save()
    for phase in source.phases.all():
        Phase.objects.create(
            campaign=clone,
            kind=phase.kind,
            name=phase.name,
            starts_on=mover.day(phase.starts_on),
            ends_on=mover.day(phase.ends_on),
        )
    _copy_programmes(source, clone)
    for station in source.stations.prefetch_related("links"):
        links = list(station.links.all())
        station.pk = None
        station._state.adding = True
        station.campaign = clone
        station.standard_due_on = mover.optional(station.standard_due_on)
        station.save()
        StationLink.objects.bulk_create(
            [StationLink(station=station, team_id=link.team_id, order=link.order) for link in links]
        )
    _copy_rules(source, clone, mover, by)
    if preview.turns:
        rotation_write(by=by, campaign=clone, turns=preview.turns)
    return clone


def _copy_programmes(source: Campaign, clone: Campaign) -> None:
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


def _copy_rules(source: Campaign, clone: Campaign, mover: DateMover, by: User) -> None:
    """Each rule again, its absolute deadline and active window moved; who reports and to whom kept."""
    through = ReportRule.organizations.through
    for rule in source.report_rules.prefetch_related("organizations"):
        members = [o.pk for o in rule.organizations.all()]
        rule.pk = None
        rule._state.adding = True
        rule.campaign = clone
        rule.due_at = mover.moment(rule.due_at) if rule.due_at else None
        rule.active_from = mover.optional(rule.active_from)
        rule.active_to = mover.optional(rule.active_to)
        audit.attribute(rule, by)
        rule.save()
        # rows of the through table directly: the prefetched members would make `set()` a no-op
        through.objects.bulk_create([through(reportrule_id=rule.pk, organization_id=pk) for pk in members])
