"""/api/v1/stations … — stations, their stock, the 六有一落实 checklist and the 工作台账. Thin: selectors read
(a station outside the caller's scope is 404), services write (refusals 409, rights 403, bad fields 422)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBase
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.models import Consumable, Service, StandardCheck, StandardItem, Station
from zhiyuan.campaigns.selectors import campaigns as campaign_selectors
from zhiyuan.campaigns.selectors import stations as selectors
from zhiyuan.campaigns.services import stations as services
from zhiyuan.core import access, images
from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.schemas import Strict

router = Router(tags=["stations"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}
SERVICE_LABELS = dict(Service.choices)


class TeamRef(Schema):
    id: int
    name: str


class StationOut(Schema):
    id: int
    name: str
    place: str
    sub_location: str
    points: int
    campaign_id: int | None
    responsible_office_id: int
    responsible_office_name: str
    teams: list[TeamRef]
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    opening_hours: str
    hotline: str
    services: list[str] = Field(description="信息咨询 information, 引导 guidance, 热水 hot_water …")
    service_labels: list[str]
    standard_due_on: dt.date | None
    met_count: int = Field(description="六有一落实 items met, of 7")
    up_to_standard: bool
    overdue: bool = Field(description="past standard_due_on and not yet up to standard")
    low_stock_count: int
    open_incidents: int

    @staticmethod
    def resolve_responsible_office_name(obj: Station) -> str:
        return obj.responsible_office.name

    @staticmethod
    def resolve_teams(obj: Station) -> list[dict[str, Any]]:
        return [{"id": link.team_id, "name": link.team.name} for link in obj.links.all()]

    @staticmethod
    def resolve_service_labels(obj: Station) -> list[str]:
        return [str(SERVICE_LABELS.get(code, code)) for code in obj.services]

    @staticmethod
    def resolve_up_to_standard(obj: Station) -> bool:
        return obj.met_count >= selectors.ITEMS  # type: ignore[attr-defined]


class ConsumableOut(Schema):
    id: int
    name: str
    unit: str
    quantity: int
    low_threshold: int
    is_low: bool


class StandardOut(Schema):
    item: str
    label: str
    met: bool
    note: str
    evidence_url: str | None
    checked_by: str | None
    checked_at: dt.datetime | None


def _standard_out(station: Station, row: selectors.StandardRow) -> dict[str, Any]:
    check = row.check
    url = f"/api/v1/stations/{station.pk}/standards/{row.item}/evidence"
    return {
        "item": row.item,
        "label": row.label,
        "met": row.met,
        "note": check.note if check else "",
        "evidence_url": url if check and check.evidence else None,
        "checked_by": check.checked_by.display_name if check and check.checked_by else None,
        "checked_at": check.checked_at if check else None,
    }


class PlanOut(Schema):
    id: int
    trigger: str
    steps: str
    contacts: str
    supplies: str


class EmergencyPairingOut(Schema):
    team_id: int
    team_name: str
    plans: list[PlanOut]


class StationDetailOut(StationOut):
    consumables: list[ConsumableOut]
    standards: list[StandardOut]
    pairing: EmergencyPairingOut | None

    @staticmethod
    def resolve_consumables(obj: Station) -> list[Consumable]:
        return list(Consumable.objects.filter(station=obj).order_by("name"))

    @staticmethod
    def resolve_standards(obj: Station) -> list[dict[str, Any]]:
        return [_standard_out(obj, row) for row in selectors.standards(obj)]

    @staticmethod
    def resolve_pairing(obj: Station) -> dict[str, Any] | None:
        pairing = selectors.pairing_for(obj)
        if pairing is None:
            return None
        return {
            "team_id": pairing.team_id,
            "team_name": pairing.team.name,
            "plans": list(pairing.plans.all()),
        }


def _detail(user: Any, pk: int) -> Station:
    return selectors.station_get(user=user, pk=pk)


class StationFilters(Schema):
    campaign: int | None = None
    office: int | None = Field(None, description="the office and every office below it")
    not_up_to_standard: bool = False
    search: str = ""


@router.get("/stations", response=list[StationOut])
@paginate(Paginated)
def list_stations(request: AuthedRequest, filters: Query[StationFilters]) -> Any:
    return selectors.station_list(user=request.auth, **filters.dict())


class StationIn(Strict):
    name: str = Field(max_length=100)
    place: str = Field(max_length=100, description="例如 郑州火车站")
    sub_location: str = Field("", max_length=100, description="例如 东广场")
    points: int = 1
    responsible_office_id: int
    campaign_id: int | None = None
    team_ids: list[int] = []
    address: str = Field("", max_length=200)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    opening_hours: str = Field("", max_length=100)
    hotline: str = Field("", max_length=20)
    services: list[str] = []
    standard_due_on: dt.date | None = None
    order: int = 0


class StationPatch(Strict):
    name: str | None = Field(None, max_length=100)
    place: str | None = Field(None, max_length=100)
    sub_location: str | None = Field(None, max_length=100)
    points: int | None = None
    responsible_office_id: int | None = None
    campaign_id: int | None = None
    team_ids: list[int] | None = None
    address: str | None = Field(None, max_length=200)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    opening_hours: str | None = Field(None, max_length=100)
    hotline: str | None = Field(None, max_length=20)
    services: list[str] | None = None
    standard_due_on: dt.date | None = None
    order: int | None = None


NOT_NULL = {"name", "place", "sub_location", "points", "responsible_office_id", "address"}
NOT_NULL |= {"opening_hours", "hotline", "services", "order", "team_ids"}


def _arguments(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Body fields → service arguments: ids become the objects the caller may name."""
    if "responsible_office_id" in data:
        pk = data.pop("responsible_office_id")
        office = access.organizations(user, Perm.ORG_VIEW).filter(pk=pk).first()
        if office is None:
            raise ValidationError({"responsible_office_id": _("所选组织不存在。")})
        data["responsible_office"] = office
    if "campaign_id" in data:
        pk = data.pop("campaign_id")
        # scoped like a URL id: only a campaign the caller can see
        data["campaign"] = pk and campaign_selectors.campaign_list(user=user).filter(pk=pk).first()
        if pk and data["campaign"] is None:
            raise ValidationError({"campaign_id": _("所选活动不存在。")})
    if data.get("team_ids") is not None:
        ids = list(dict.fromkeys(data.pop("team_ids")))
        found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
        if set(ids) - set(found):
            raise ValidationError({"team_ids": _("所选队伍不存在。")})
        data["teams"] = [found[pk] for pk in ids]
    return data


@router.post("/stations", response={201: StationDetailOut, **WRITE_ERRORS})
def create_station(request: AuthedRequest, payload: StationIn) -> Any:
    station = services.station_create(by=request.auth, **_arguments(request.auth, payload.dict()))
    return Status(201, _detail(request.auth, station.pk))


@router.get("/stations/{station_id}", response={200: StationDetailOut, 404: Error})
def get_station(request: AuthedRequest, station_id: int) -> Any:
    return _detail(request.auth, station_id)


@router.patch("/stations/{station_id}", response={200: StationDetailOut, **WRITE_ERRORS})
def update_station(request: AuthedRequest, station_id: int, payload: StationPatch) -> Any:
    station = selectors.station_get(user=request.auth, pk=station_id)
    changes = payload.dict(exclude_unset=True)
    empty = sorted(f for f in changes if changes[f] is None and f in NOT_NULL)
    if empty:
        raise ValidationError({f: _("此项不能为空。") for f in empty})
    services.station_update(by=request.auth, station=station, **_arguments(request.auth, changes))
    return Status(200, _detail(request.auth, station_id))


class LedgerRowOut(Schema):
    kind: str = Field(description="duty 集中服务 / shift 班次 / service 服务记录 / incident 突发情况")
    kind_label: str
    day: dt.date
    at: dt.datetime | None
    title: str
    detail: str
    status: str
    object_id: int


class LedgerFilters(Schema):
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/stations/{station_id}/ledger", response=list[LedgerRowOut])
@paginate(Paginated)
def station_ledger(request: AuthedRequest, station_id: int, filters: Query[LedgerFilters]) -> Any:
    """工作台账: duties, shifts, services given and incidents, newest first."""
    station = selectors.station_get(user=request.auth, pk=station_id)
    return selectors.ledger(station=station, **filters.dict())


class ConsumableIn(Strict):
    name: str = Field(max_length=50)
    unit: str = Field("个", max_length=10)
    quantity: int = 0
    low_threshold: int = 10


@router.post("/stations/{station_id}/stock", response={201: ConsumableOut, **WRITE_ERRORS})
def create_consumable(request: AuthedRequest, station_id: int, payload: ConsumableIn) -> Any:
    station = selectors.station_get(user=request.auth, pk=station_id)
    return Status(201, services.consumable_create(by=request.auth, station=station, **payload.dict()))


class MoveIn(Strict):
    delta: int = Field(description="补充为正数，发放为负数")
    reason: str = Field(max_length=100)


@router.post(
    "/stations/{station_id}/stock/{consumable_id}/moves", response={201: ConsumableOut, **WRITE_ERRORS}
)
def move_stock(request: AuthedRequest, station_id: int, consumable_id: int, payload: MoveIn) -> Any:
    """The quantity never goes below 0: taking more than is left is refused (409)."""
    station = selectors.station_get(user=request.auth, pk=station_id)
    item = access.get_or_404(Consumable.objects.filter(station=station), pk=consumable_id)
    item.station = station
    return Status(201, services.stock_move(by=request.auth, consumable=item, **payload.dict()))


@router.get("/stations/{station_id}/standards", response=list[StandardOut])
@paginate(Paginated)
def list_standards(request: AuthedRequest, station_id: int) -> Any:
    """The seven items of 六有一落实 in order; an item nobody has checked is not met."""
    station = selectors.station_get(user=request.auth, pk=station_id)
    return [_standard_out(station, row) for row in selectors.standards(station)]


class StandardIn(Strict):
    met: bool
    note: str = Field("", max_length=200)


def _standard_item(item: str) -> str:
    if item not in StandardItem.values:
        raise Http404(_("未找到。"))
    return item


@router.put("/stations/{station_id}/standards/{item}", response={200: StandardOut, **WRITE_ERRORS})
def set_standard(request: AuthedRequest, station_id: int, item: str, payload: StandardIn) -> Any:
    """Record one item (sign, premises, team, rules, ledger, services, activities)."""
    station = selectors.station_get(user=request.auth, pk=station_id)
    services.standard_check_set(by=request.auth, station=station, item=_standard_item(item), **payload.dict())
    row = next(r for r in selectors.standards(station) if r.item == item)
    return Status(200, _standard_out(station, row))


@router.post("/stations/{station_id}/standards/{item}/evidence", response={200: StandardOut, **WRITE_ERRORS})
def upload_evidence(request: AuthedRequest, station_id: int, item: str, evidence: File[UploadedFile]) -> Any:
    """A photo (multipart field `evidence`) for the item, kept as it is met or not."""
    station = selectors.station_get(user=request.auth, pk=station_id)
    current = StandardCheck.objects.filter(station=station, item=_standard_item(item)).first()
    services.standard_check_set(
        by=request.auth,
        station=station,
        item=item,
        met=bool(current and current.met),
        note=current.note if current else "",
        evidence=evidence,
    )
    row = next(r for r in selectors.standards(station) if r.item == item)
    return Status(200, _standard_out(station, row))


@router.get("/stations/{station_id}/standards/{item}/evidence", response={404: Error})
def get_evidence(request: AuthedRequest, station_id: int, item: str, thumb: bool = False) -> HttpResponseBase:
    station = selectors.station_get(user=request.auth, pk=station_id)
    check = access.get_or_404(StandardCheck.objects.filter(station=station), item=_standard_item(item))
    return images.serve(check.evidence, thumb)


class ServiceIn(Strict):
    day: dt.date
    service: str = Field(
        description="information, guidance, hot_water, sewing, medicine, safety, legal_aid …"
    )
    count: int
    note: str = Field("", max_length=200)


class ServiceGivenOut(Schema):
    id: int
    day: dt.date
    service: str
    count: int
    note: str


@router.post("/stations/{station_id}/services", response={201: ServiceGivenOut, **WRITE_ERRORS})
def record_service(request: AuthedRequest, station_id: int, payload: ServiceIn) -> Any:
    """Services given on a day (e.g. 热水 120 次), a line of the 工作台账."""
    station = selectors.station_get(user=request.auth, pk=station_id)
    return Status(201, services.service_record(by=request.auth, station=station, **payload.dict()))
