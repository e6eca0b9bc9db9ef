"""Writes for “文明使者” stations: the station and its linked teams (attachment 1), consumables and their stock,
the Henan 六有一落实 checklist, and services given (part of the station's 工作台账).

Who may do what (`selectors.stations.rights`):
- the responsible office (管理组织 there) manages the station, its consumables and its checklist;
- leaders of a linked team (管理志愿者 on the team) also record services given and stock movements.
Every service reports every bad field at once, in Chinese, and writes nothing from a rejected request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import (
    Campaign,
    Consumable,
    Service,
    ServiceGiven,
    StandardCheck,
    StandardItem,
    Station,
    StationLink,
    StockMovement,
)
from zhiyuan.campaigns.selectors.stations import linked_teams, rights
from zhiyuan.core import access, audit, images, phones
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import LED_KINDS, Organization
from zhiyuan.organizations.roles import Perm

Errors = dict[str, list[str]]

EDITABLE_FIELDS = (
    "campaign",
    "name",
    "place",
    "sub_location",
    "points",
    "responsible_office",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "hotline",
    "services",
    "standard_due_on",
    "order",
)
TEXT_LIMITS = {"name": 100, "place": 100, "sub_location": 100, "address": 200, "opening_hours": 100}
MAX_STOCK_MOVE = 100_000


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _require_manage(by: User, station: Station) -> None:
    if not rights(by, station).manage:
        raise access.PermissionDenied(_("只有站点所属文明办可以管理站点。"))


def _require_operate(by: User, station: Station) -> None:
    if not rights(by, station).operate:
        raise access.PermissionDenied(_("只有站点所属文明办和联动团队负责人可以登记。"))


def _hotline(raw: str, errors: Errors) -> str:
    try:
        return phones.normalise_service_or_phone(raw)
    except ValidationError as exc:
        _add(errors, "hotline", exc.messages[0])
        return (raw or "").strip()


def _coordinate(value: Any, field: str, limit: int, errors: Errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > limit:
        _add(errors, field, _("纬度应在-90到90之间。") if limit == 90 else _("经度应在-180到180之间。"))
        return None
    return number


def _services(codes: Any, errors: Errors) -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    unknown = [c for c in codes if c not in Service.values]
    if unknown:
        _add(errors, "services", _("未知服务项目：%(codes)s") % {"codes": "、".join(map(str, unknown))})
    return [c for c in codes if c in Service.values]


def _office(by: User, office: Organization | None, errors: Errors) -> None:
    if office is None:
        _add(errors, "responsible_office", _("请选择所属文明办。"))
    elif not access.can(by, Perm.ORG_VIEW, office):
        _add(errors, "responsible_office", _("所选组织不存在。"))
    elif not access.can(by, Perm.STATION_CHANGE, office):
        _add(errors, "responsible_office", _("您无权以该单位的名义管理站点。"))


def _teams(by: User, teams: Iterable[Organization], keep: set[int], errors: Errors) -> list[Organization]:
    """Linked teams; a team the station already has stays even where the editor's scope ends."""
    found = list(dict.fromkeys(teams))
    for team in found:
        if team.pk in keep:
            continue
        if not access.can(by, Perm.ORG_VIEW, team):
            _add(errors, "teams", _("所选队伍不存在。"))
        elif team.kind not in LED_KINDS:
            _add(errors, "teams", _("“%(name)s”不是志愿服务支队、中队或服务队。") % {"name": team.name})
    return found


def station_problems(
    *,
    by: User,
    station: Station,
    changed: Iterable[str] = EDITABLE_FIELDS,
    teams: Iterable[Organization] | None = None,
) -> Errors:
    """Everything wrong with an (unsaved) station, per field, in Chinese; normalises what it checks (the
    hotline, the coordinates) and writes nothing. Forms call this from `clean()` to show every problem at
    once; `changed` names the fields being set, so a reference kept as it is is not checked again."""
    errors: Errors = {}
    _clean(by, station, set(changed), errors)
    if teams is not None:
        keep = {t.pk for t in linked_teams(station)} if station.pk else set()
        _teams(by, teams, keep, errors)
    return errors


def _clean(by: User, station: Station, changed: set[str], errors: Errors) -> None:
    s = station
    for field, limit in TEXT_LIMITS.items():
        value = (getattr(s, field) or "").strip()
        setattr(s, field, value)
        if len(value) > limit:
            _add(errors, field, _("不能超过%(n)d个字。") % {"n": limit})
    if not s.name:
        _add(errors, "name", _("请填写站点名称。"))
    if not s.place:
        _add(errors, "place", _("请填写站点设置地点，例如 郑州火车站。"))
    if s.points is None or not 1 <= int(s.points) <= 999:
        _add(errors, "points", _("服务点数量应在1到999之间。"))
    if s.order is None or not 0 <= int(s.order) <= 32767:
        _add(errors, "order", _("顺序应在0到32767之间。"))
    if "responsible_office" in changed:
        _office(by, s.responsible_office if s.responsible_office_id else None, errors)
    if "campaign" in changed and s.campaign_id and not Campaign.objects.filter(pk=s.campaign_id).exists():
        _add(errors, "campaign", _("所选活动不存在。"))
    s.hotline = _hotline(s.hotline, errors)
    s.latitude = _coordinate(s.latitude, "latitude", 90, errors)
    s.longitude = _coordinate(s.longitude, "longitude", 180, errors)
    if (s.latitude is None) != (s.longitude is None) and not {"latitude", "longitude"} & set(errors):
        _add(errors, "longitude" if s.longitude is None else "latitude", _("经纬度须同时填写。"))
    s.services = _services(s.services, errors)


def _set_teams(station: Station, teams: list[Organization]) -> None:
    wanted = [t.pk for t in teams]
    StationLink.objects.filter(station=station).exclude(team_id__in=wanted).delete()
    existing = {link.team_id: link for link in StationLink.objects.filter(station=station)}
    for order, pk in enumerate(wanted):
        link = existing.get(pk)
        if link is None:
            StationLink.objects.create(station=station, team_id=pk, order=order)
        elif link.order != order:
            link.order = order
            link.save(update_fields=["order", "updated_at"])


def _refuse_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: _("不能修改此字段。") for field in sorted(unknown)})


@transaction.atomic
def station_create(
    *,
    by: User,
    responsible_office: Organization | None,
    name: str,
    place: str,
    teams: Iterable[Organization] = (),
    **optional: Any,
) -> Station:
    if responsible_office is not None and access.can(by, Perm.ORG_VIEW, responsible_office):
        access.require(by, Perm.STATION_CHANGE, responsible_office)  # visible but not theirs: 403
    _refuse_unknown(optional)
    station = Station(responsible_office=responsible_office, name=name, place=place, **optional)
    errors: Errors = {}
    _clean(by, station, set(EDITABLE_FIELDS), errors)
    linked = _teams(by, teams, set(), errors)
    if errors:
        raise ValidationError(errors)
    audit.attribute(station, by)
    station.save()
    _set_teams(station, linked)
    return station


@transaction.atomic
def station_update(
    *, by: User, station: Station, teams: Iterable[Organization] | None = None, **changes: Any
) -> Station:
    """Change the station; `teams`, when given, replaces its linked teams in that order."""
    _require_manage(by, station)
    _refuse_unknown(changes)
    s = Station.objects.select_for_update().select_related("responsible_office").get(pk=station.pk)
    changed = {f for f, value in changes.items() if getattr(s, f) != value}
    for field, value in changes.items():
        setattr(s, field, value)
    errors: Errors = {}
    _clean(by, s, changed, errors)
    linked = None
    if teams is not None:
        linked = _teams(by, teams, {t.pk for t in linked_teams(s)}, errors)
    if errors:
        raise ValidationError(errors)
    audit.attribute(s, by)
    s.save()
    if linked is not None:
        _set_teams(s, linked)
    return s


@transaction.atomic
def station_set_adhoc(*, by: User, station: Station, allow: bool) -> Station:
    """Let volunteers without a booked shift sign in at the station's poster (or stop them): the
    station's office or a linked team's leader decides, and the history says who."""
    _require_operate(by, station)
    s = Station.objects.select_for_update().get(pk=station.pk)
    if s.allow_adhoc != allow:
        s.allow_adhoc = allow
        audit.attribute(s, by, _("开放临时签到") if allow else _("关闭临时签到"))
        s.save(update_fields=["allow_adhoc", "updated_at"])
    return s


# --- consumables and stock ---------------------------------------------------------------------------------


@transaction.atomic
def consumable_create(
    *, by: User, station: Station, name: str, unit: str = "个", quantity: int = 0, low_threshold: int = 10
) -> Consumable:
    """A stocked item (热水杯, 常用药品 …); an opening quantity is recorded as the first movement."""
    _require_manage(by, station)
    errors: Errors = {}
    name, unit = (name or "").strip(), (unit or "").strip()
    if not name:
        _add(errors, "name", _("请填写物品名称。"))
    elif len(name) > 50:
        _add(errors, "name", _("物品名称不能超过50个字。"))
    elif Consumable.objects.filter(station=station, name=name).exists():
        _add(errors, "name", _("该站点已有“%(name)s”。") % {"name": name})
    if not unit or len(unit) > 10:
        _add(errors, "unit", _("请填写单位（不超过10个字），例如 个、盒。"))
    if quantity is None or not 0 <= quantity <= MAX_STOCK_MOVE:
        _add(errors, "quantity", _("库存应在0到100000之间。"))
    if low_threshold is None or not 0 <= low_threshold <= MAX_STOCK_MOVE:
        _add(errors, "low_threshold", _("预警数量应在0到100000之间。"))
    if errors:
        raise ValidationError(errors)
    consumable = Consumable.objects.create(
        station=station, name=name, unit=unit, quantity=quantity, low_threshold=low_threshold
    )
    if quantity:
        StockMovement.objects.create(consumable=consumable, delta=quantity, reason=_("初始库存"), by=by)
    return consumable


@transaction.atomic
def stock_move(*, by: User, consumable: Consumable, delta: int, reason: str) -> Consumable:
    """Add (+) or take (−) stock. The quantity never goes below zero: the row lock serialises racing
    moves, and the table's check constraint stands behind it."""
    _require_operate(by, consumable.station)
    errors: Errors = {}
    reason = (reason or "").strip()
    if not isinstance(delta, int) or delta == 0 or abs(delta) > MAX_STOCK_MOVE:
        _add(errors, "delta", _("变动数量须为1到100000之间的整数（减少为负数）。"))
    if not reason:
        _add(errors, "reason", _("请填写原因，例如 补充、发放。"))
    elif len(reason) > 100:
        _add(errors, "reason", _("原因不能超过100个字。"))
    if errors:
        raise ValidationError(errors)
    item = Consumable.objects.select_for_update().get(pk=consumable.pk)
    if item.quantity + delta < 0:
        raise Refused(
            _("“%(name)s”库存不足：仅剩%(left)d%(unit)s，不能减少%(n)d%(unit)s。")
            % {"name": item.name, "left": item.quantity, "unit": item.unit, "n": -delta}
        )
    item.quantity += delta
    try:
        with transaction.atomic():
            item.save(update_fields=["quantity", "updated_at"])
    except IntegrityError:  # consumable_not_negative: only reachable if a writer bypassed the lock
        raise Refused(_("“%(name)s”库存不足。") % {"name": item.name}) from None
    StockMovement.objects.create(consumable=item, delta=delta, reason=reason, by=by)
    return item


# --- 六有一落实 -------------------------------------------------------------------------------------------


@transaction.atomic
def standard_check_set(
    *,
    by: User,
    station: Station,
    item: str,
    met: bool,
    evidence: UploadedFile | None = None,
    note: str = "",
) -> StandardCheck:
    """Record one item of the checklist; a new evidence photo replaces the old one."""
    _require_manage(by, station)
    errors: Errors = {}
    if item not in StandardItem.values:
        _add(errors, "item", _("未知的标准项。"))
    note = (note or "").strip()
    if len(note) > 200:
        _add(errors, "note", _("说明不能超过200个字。"))
    photo = images.prepare(evidence, errors, "evidence")
    if errors:
        raise ValidationError(errors)
    check = StandardCheck.objects.select_for_update().filter(station=station, item=item).first()
    if check is None:
        check = StandardCheck(station=station, item=item)
    check.met, check.note = bool(met), note
    check.checked_by, check.checked_at = by, timezone.now()
    old = check.evidence.name
    if photo is not None:
        images.attach(check.evidence, photo)
    audit.attribute(check, by)
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:  # someone recorded the same item at the same moment
        if photo is not None:
            images.discard(check.evidence.storage, check.evidence.name or "")
        raise Refused(_("该项刚被其他人更新，请刷新后重试。")) from None
    if photo is not None and old:
        storage = check.evidence.storage
        transaction.on_commit(lambda: images.discard(storage, old))
    return check


# --- services given ----------------------------------------------------------------------------------------


@transaction.atomic
def service_record(
    *, by: User, station: Station, day: date | None, service: str, count: int | None, note: str = ""
) -> ServiceGiven:
    """e.g. 热水 120 次 on a day: a line of the station's 工作台账."""
    _require_operate(by, station)
    errors: Errors = {}
    if day is None:
        _add(errors, "day", _("请填写日期。"))
    elif day > timezone.localdate():
        _add(errors, "day", _("日期不能晚于今天。"))
    if service not in Service.values:
        _add(errors, "service", _("请选择服务项目。"))
    if count is None or not 1 <= count <= MAX_STOCK_MOVE:
        _add(errors, "count", _("次数应在1到100000之间。"))
    note = (note or "").strip()
    if len(note) > 200:
        _add(errors, "note", _("说明不能超过200个字。"))
    if errors:
        raise ValidationError(errors)
    assert day is not None and count is not None
    return ServiceGiven.objects.create(
        station=station, day=day, service=service, count=count, note=note, recorded_by=by
    )
