"""Officers' endpoints for help requests and needs surveys, under /api/v1/community/…: everything read goes
through the scoped selectors (outside scope 404), writes through the services (no right 403)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.community.models import HelpRequest, NeedRecord
from zhiyuan.community.selectors import help as help_selectors
from zhiyuan.community.selectors import needs as need_selectors
from zhiyuan.community.services import help as help_services
from zhiyuan.community.services import needs as need_services
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

router = Router(tags=["community"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class HelpOut(Schema):
    id: int
    code: str
    kind: str
    description: str
    name: str
    phone: str = Field(description="in full for the handling organisation, masked for those who only view")
    station_id: int | None
    place: str
    organization_id: int
    routed_by: str = Field(description="kind (分派规则) / station (站点所属文明办) / campaign (活动主办单位)")
    filed_by_hotline: bool
    status: str
    in_progress_at: dt.datetime | None
    resolved_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_phone(obj: HelpRequest, context: dict[str, Any]) -> str:
        user = context["request"].auth
        return obj.phone if access.can(user, Perm.COMMUNITY_CHANGE, obj.organization) else obj.phone_masked

    @staticmethod
    def resolve_filed_by_hotline(obj: HelpRequest) -> bool:
        return obj.filed_by_id is not None


class HelpFilters(Schema):
    status: str = Field(
        "open", description="open (未办结), accepted, in_progress, resolved, or empty for all"
    )
    kind: str = ""


@router.get("/community/help-requests", response=list[HelpOut])
@paginate(Paginated)
def list_help_requests(request: AuthedRequest, filters: Query[HelpFilters]) -> Any:
    return help_selectors.help_queue(user=request.auth, status=filters.status, kind=filters.kind)


@router.get("/community/help-requests/{request_id}", response={200: HelpOut, 404: Error})
def get_help_request(request: AuthedRequest, request_id: int) -> Any:
    return help_selectors.help_get(user=request.auth, pk=request_id)


class AdvanceIn(Strict):
    status: str = Field(description="accepted / in_progress / resolved")
    note: str = Field("", max_length=2000)


@router.post("/community/help-requests/{request_id}/advance", response={200: HelpOut, **WRITE_ERRORS})
def advance_help_request(request: AuthedRequest, request_id: int, payload: AdvanceIn) -> Any:
    r = help_selectors.help_get(user=request.auth, pk=request_id)
    help_services.help_request_advance(by=request.auth, help_request=r, **payload.dict())
    return help_selectors.help_get(user=request.auth, pk=request_id)


# --- needs surveys -----------------------------------------------------------------------------------------


class VisitIn(Strict):
    organization_id: int
    district_id: int
    site_name: str = Field(max_length=100)
    site_kind: str = Field(description="construction / project / company / labour_market")
    visited_on: dt.date
    people_met: int = Field(ge=0)
    note: str = Field("", max_length=2000)


class VisitOut(Schema):
    id: int
    site_name: str
    site_kind: str
    organization_id: int
    district_id: int
    visited_on: dt.date
    people_met: int
    need_count: int = 0


def _org(user: Any, pk: int) -> Organization:
    return access.get_or_404(access.organizations(user, Perm.COMMUNITY_VIEW), pk=pk)


@router.get("/community/visits", response=list[VisitOut])
@paginate(Paginated)
def list_visits(request: AuthedRequest, district_id: int | None = None) -> Any:
    return need_selectors.visit_list(user=request.auth, district=district_id)


@router.post("/community/visits", response={201: VisitOut, **WRITE_ERRORS})
def create_visit(request: AuthedRequest, payload: VisitIn) -> Any:
    data = payload.dict()
    organization = _org(request.auth, data.pop("organization_id"))
    district = Organization.objects.filter(pk=data.pop("district_id")).first()
    visit = need_services.visit_create(by=request.auth, organization=organization, district=district, **data)
    return Status(201, need_selectors.visit_list(user=request.auth).get(pk=visit.pk))


class NeedIn(Strict):
    name: str = Field("", max_length=30)
    phone: str = Field("", max_length=30)
    plan: str = Field(NeedRecord.Plan.UNDECIDED, description="return / stay / undecided")
    return_on: dt.date | None = None
    destination: str = Field("", max_length=50)
    wages: str = Field(NeedRecord.Wages.UNKNOWN, description="paid / owed / unknown")
    owed_amount: Decimal = Decimal(0)
    employer: str = Field("", max_length=100)
    ticket: str = Field(NeedRecord.Ticket.NOT_NEEDED, description="not_needed / wanted")


class NeedOut(Schema):
    id: int
    visit_id: int
    name: str
    phone_masked: str
    plan: str
    return_on: dt.date | None
    destination: str
    wages: str
    owed_amount: Decimal
    employer: str
    ticket: str
    ticket_note: str

    @staticmethod
    def resolve_phone_masked(obj: NeedRecord) -> str:
        from zhiyuan.community.models.help import mask_phone

        return mask_phone(obj.phone) if obj.phone else ""


@router.get("/community/visits/{visit_id}/needs", response={200: list[NeedOut], 404: Error})
@paginate(Paginated)
def list_needs(request: AuthedRequest, visit_id: int) -> Any:
    return list(need_selectors.needs_of(need_selectors.visit_get(user=request.auth, pk=visit_id)))


@router.post("/community/visits/{visit_id}/needs", response={201: NeedOut, **WRITE_ERRORS})
def add_need(request: AuthedRequest, visit_id: int, payload: NeedIn) -> Any:
    visit = need_selectors.visit_get(user=request.auth, pk=visit_id)
    return Status(201, need_services.need_add(by=request.auth, visit=visit, **payload.dict()))


class TicketIn(Strict):
    ticket: str = Field(description="booked / not_booked / wanted")
    note: str = Field("", max_length=200)


@router.post("/community/needs/{need_id}/ticket", response={200: NeedOut, **WRITE_ERRORS})
def set_ticket(request: AuthedRequest, need_id: int, payload: TicketIn) -> Any:
    need = need_selectors.need_get(user=request.auth, pk=need_id)
    return need_services.need_ticket_set(by=request.auth, need=need, **payload.dict())


class DistrictTotals(Schema):
    name: str
    visits: int
    people: int
    records: int
    returning: int
    staying: int
    unpaid: int
    owed: Decimal
    tickets_wanted: int
    tickets_booked: int


class CityTotalsOut(DistrictTotals):
    districts: list[DistrictTotals]


@router.get("/community/needs/aggregates", response=list[CityTotalsOut])
@paginate(Paginated)
def needs_aggregates(request: AuthedRequest, start: dt.date | None = None, end: dt.date | None = None) -> Any:
    """By district (属地文明办) and city, over the visits in the caller's scope."""
    return need_selectors.needs_aggregate(user=request.auth, start=start, end=end)
