"""/api/v1/public/… — what the portal shows, for apps and partner sites: no login, published data only,
read-only except a ticket claim (rate-limited per IP and per phone, like the page)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.models import Service, Station
from zhiyuan.core import phones, ratelimit
from zhiyuan.core.api import Error, Strict, ValidationErrors
from zhiyuan.core.api_errors import ApiError
from zhiyuan.core.pagination import Paginated
from zhiyuan.outreach.models import TicketClaim
from zhiyuan.outreach.selectors import public as selectors
from zhiyuan.outreach.services import tickets as services
from zhiyuan.portal.views.tickets import CLAIM_LIMITS

router = Router(tags=["public"], auth=None)
SERVICE_LABELS = dict(Service.choices)


class PublicStationOut(Schema):
    id: int
    name: str
    place: str
    sub_location: str
    district: str = Field(description="所属文明办")
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    opening_hours: str
    hotline: str
    services: list[str]
    service_labels: list[str]
    staffed_now: bool = Field(description="a shift in progress with a volunteer signed in")
    distance_km: float | None = Field(description="from lat/lng when given")

    @staticmethod
    def resolve_district(obj: Station) -> str:
        return obj.responsible_office.name

    @staticmethod
    def resolve_service_labels(obj: Station) -> list[str]:
        return [str(SERVICE_LABELS.get(code, code)) for code in obj.services]

    @staticmethod
    def resolve_staffed_now(obj: Station) -> bool:
        return bool(obj.staffed)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_distance_km(obj: Station) -> float | None:
        return selectors.distance_km(obj)


class Near(Schema):
    lat: float | None = None
    lng: float | None = None


@router.get("/public/stations", response=list[PublicStationOut])
@paginate(Paginated)
def public_stations(request: HttpRequest, near: Query[Near]) -> Any:
    """Nearest first when `lat` and `lng` are given, else by district."""
    position = selectors.Position.parse(near.lat, near.lng)
    return selectors.public_stations(campaigns=selectors.current_campaigns(), near=position)


@router.get("/public/stations/{station_id}", response={200: PublicStationOut, 404: Error})
def public_station(request: HttpRequest, station_id: int) -> Any:
    return selectors.station_public_get(pk=station_id, campaigns=selectors.current_campaigns())


class ChannelOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    name: str
    value: str
    description: str


@router.get("/public/channels", response=list[ChannelOut])
@paginate(Paginated)
def public_channels(request: HttpRequest) -> Any:
    return selectors.public_channels(campaigns=selectors.current_campaigns())


class TicketDonationOut(Schema):
    id: int
    title: str
    donor: str = Field(description="赠票单位")
    supervisor: str = Field(description="主管单位")
    quantity: int = Field(description="赠票数量")
    remaining: int
    requirements: str = Field(description="领取要求")
    claim_time: str = Field(description="领取时间")
    claim_place: str = Field(description="领取地点")
    contact: str = Field(description="联系人及联系方式")
    note: str = Field(description="备注")
    per_claim_limit: int
    claim_closes_at: dt.datetime | None
    venue_id: int | None


@router.get("/public/tickets", response=list[TicketDonationOut])
@paginate(Paginated)
def public_tickets(request: HttpRequest) -> Any:
    """Donations with tickets left and claiming open."""
    services.claims_expire()
    return selectors.available_donations()


@router.get("/public/tickets/{donation_id}", response={200: TicketDonationOut, 404: Error})
def public_ticket(request: HttpRequest, donation_id: int) -> Any:
    return selectors.donation_public_get(pk=donation_id)


class ClaimIn(Strict):
    kind: str = Field(TicketClaim.Kind.PERSON, description="person 个人 / group 单位集体")
    name: str = Field(max_length=100, description="姓名，或单位集体领取时的单位名称")
    contact_name: str = Field("", max_length=50)
    phone: str = Field(max_length=20, description="11位手机号码")
    quantity: int


class ClaimOut(Schema):
    code: str
    status: str
    status_label: str = Field(alias="get_status_display")
    kind: str
    quantity: int
    expires_at: dt.datetime
    collected_at: dt.datetime | None
    phone_masked: str
    donation_id: int

    @staticmethod
    def resolve_phone_masked(obj: TicketClaim) -> str:
        return phones.mask_mobile(obj.phone)


@router.post(
    "/public/tickets/{donation_id}/claims",
    response={201: ClaimOut, 404: Error, 409: Error, 422: ValidationErrors, 429: Error},
)
def public_claim(request: HttpRequest, donation_id: int, payload: ClaimIn) -> Any:
    """Reserve tickets; the code in the answer is what the claimant shows when collecting."""
    limited = ratelimit.form_refusal(request, scope="claim", phone=payload.phone, **CLAIM_LIMITS)
    if limited:
        raise ApiError(429, limited)
    donation = selectors.donation_public_get(pk=donation_id)
    claim = services.claim_create(donation=donation, **payload.dict())
    return Status(201, claim)


@router.get("/public/claims/{code}", response={200: ClaimOut, 404: Error})
def public_claim_status(request: HttpRequest, code: str) -> Any:
    """Only the claim with this code; the phone number masked."""
    services.claims_expire()
    return selectors.claim_by_code(code)


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    address: str
    phone: str
    opening_hours: str
    free_rules: str
    guided_tours: bool
    accepts_groups: bool
    max_group_size: int | None


@router.get("/public/venues", response=list[VenueOut])
@paginate(Paginated)
def public_venues(request: HttpRequest) -> Any:
    return selectors.public_venues()
