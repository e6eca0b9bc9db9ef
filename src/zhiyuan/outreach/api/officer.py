"""/api/v1/outreach/… — the officers' channels, venues with their reservations, donations with their claims.
Scoped by `core.access`: outside the caller's scope 404, inside without the right 403, refusals 409."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core import access, phones
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.api.public import ChannelOut, ClaimOut, TicketDonationOut, VenueOut
from zhiyuan.outreach.models import Channel, TicketClaim, TicketDonation, Venue, VenueReservation
from zhiyuan.outreach.selectors import officer as selectors
from zhiyuan.outreach.services import channels as channel_services
from zhiyuan.outreach.services import tickets as ticket_services
from zhiyuan.outreach.services import venues as venue_services

router = Router(tags=["outreach"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


def _owner(user: Any, pk: int | None) -> Any:
    found = access.organizations(user, Perm.OUTREACH_VIEW).filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({"organization_id": _("所选组织不存在。")})
    return found


def _campaign(data: dict[str, Any]) -> dict[str, Any]:
    if "campaign_id" in data:
        pk = data.pop("campaign_id")
        data["campaign"] = Campaign.objects.filter(pk=pk).first() if pk else None
        if pk and data["campaign"] is None:
            raise ValidationError({"campaign_id": _("所选活动不存在。")})
    return data


# --- channels ---------------------------------------------------------------------------------------------


class OfficerChannelOut(ChannelOut):
    organization_id: int
    campaign_id: int | None
    order: int
    published: bool


class ChannelIn(Strict):
    organization_id: int
    campaign_id: int | None = None
    kind: str
    name: str = Field(max_length=100)
    value: str = Field("", max_length=200)
    description: str = ""
    order: int = 0
    published: bool = False


class ChannelPatch(Strict):
    campaign_id: int | None = None
    kind: str | None = None
    name: str | None = Field(None, max_length=100)
    value: str | None = Field(None, max_length=200)
    description: str | None = None
    order: int | None = None
    published: bool | None = None


def _no_nulls(changes: dict[str, Any], nullable: set[str]) -> dict[str, Any]:
    empty = sorted(f for f, v in changes.items() if v is None and f not in nullable)
    if empty:
        raise ValidationError({f: _("此项不能为空。") for f in empty})
    return changes


@router.get("/outreach/channels", response=list[OfficerChannelOut])
@paginate(Paginated)
def list_channels(request: AuthedRequest) -> Any:
    return selectors.channels(user=request.auth)


@router.post("/outreach/channels", response={201: OfficerChannelOut, **WRITE_ERRORS})
def create_channel(request: AuthedRequest, payload: ChannelIn) -> Any:
    data = _campaign(payload.dict())
    owner = _owner(request.auth, data.pop("organization_id"))
    return Status(201, channel_services.channel_create(by=request.auth, organization=owner, **data))


def _channel(user: Any, pk: int) -> Channel:
    return access.get_or_404(selectors.channels(user=user), pk=pk)


@router.patch("/outreach/channels/{channel_id}", response={200: OfficerChannelOut, **WRITE_ERRORS})
def update_channel(request: AuthedRequest, channel_id: int, payload: ChannelPatch) -> Any:
    channel = _channel(request.auth, channel_id)
    changes = _campaign(_no_nulls(payload.dict(exclude_unset=True), {"campaign_id"}))
    return channel_services.channel_update(by=request.auth, channel=channel, **changes)


@router.delete("/outreach/channels/{channel_id}", response={204: None, 403: Error, 404: Error})
def delete_channel(request: AuthedRequest, channel_id: int) -> Any:
    channel_services.channel_delete(by=request.auth, channel=_channel(request.auth, channel_id))
    return Status(204, None)


# --- venues and reservations ------------------------------------------------------------------------------


class OfficerVenueOut(VenueOut):
    organization_id: int
    campaign_id: int | None
    published: bool
    order: int


class VenueIn(Strict):
    organization_id: int
    campaign_id: int | None = None
    name: str = Field(max_length=100)
    kind: str
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    opening_hours: str = Field("", max_length=100)
    free_rules: str = ""
    guided_tours: bool = False
    accepts_groups: bool = True
    max_group_size: int | None = None
    order: int = 0
    published: bool = False


class VenuePatch(Strict):
    campaign_id: int | None = None
    name: str | None = Field(None, max_length=100)
    kind: str | None = None
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=20)
    opening_hours: str | None = Field(None, max_length=100)
    free_rules: str | None = None
    guided_tours: bool | None = None
    accepts_groups: bool | None = None
    max_group_size: int | None = None
    order: int | None = None
    published: bool | None = None


@router.get("/outreach/venues", response=list[OfficerVenueOut])
@paginate(Paginated)
def list_venues(request: AuthedRequest) -> Any:
    return selectors.venues(user=request.auth)


@router.post("/outreach/venues", response={201: OfficerVenueOut, **WRITE_ERRORS})
def create_venue(request: AuthedRequest, payload: VenueIn) -> Any:
    data = _campaign(payload.dict())
    owner = _owner(request.auth, data.pop("organization_id"))
    return Status(201, venue_services.venue_create(by=request.auth, organization=owner, **data))


def _venue(user: Any, pk: int) -> Venue:
    return access.get_or_404(selectors.venues(user=user), pk=pk)


@router.patch("/outreach/venues/{venue_id}", response={200: OfficerVenueOut, **WRITE_ERRORS})
def update_venue(request: AuthedRequest, venue_id: int, payload: VenuePatch) -> Any:
    venue = _venue(request.auth, venue_id)
    changes = _campaign(_no_nulls(payload.dict(exclude_unset=True), {"campaign_id", "max_group_size"}))
    return venue_services.venue_update(by=request.auth, venue=venue, **changes)


class ReservationOut(Schema):
    id: int
    venue_id: int
    code: str
    organization_name: str
    contact_name: str
    phone_masked: str
    size: int
    visit_date: dt.date
    guided_tour: bool
    note: str
    status: str
    reason: str

    @staticmethod
    def resolve_phone_masked(obj: VenueReservation) -> str:
        return phones.mask_mobile(obj.phone)


@router.get("/outreach/venues/{venue_id}/reservations", response=list[ReservationOut])
@paginate(Paginated)
def list_reservations(request: AuthedRequest, venue_id: int) -> Any:
    return selectors.reservations(user=request.auth, venue=_venue(request.auth, venue_id))


class ReservationDecisionIn(Strict):
    accept: bool
    reason: str = Field("", max_length=200)


@router.post("/outreach/reservations/{reservation_id}/decide", response={200: ReservationOut, **WRITE_ERRORS})
def decide_reservation(request: AuthedRequest, reservation_id: int, payload: ReservationDecisionIn) -> Any:
    reservation = access.get_or_404(selectors.reservations(user=request.auth), pk=reservation_id)
    return venue_services.reservation_decide(by=request.auth, reservation=reservation, **payload.dict())


# --- donations and claims ---------------------------------------------------------------------------------


class OfficerDonationOut(TicketDonationOut):
    campaign_id: int
    organization_id: int
    claimed: int
    claim_opens_at: dt.datetime | None
    hold_hours: int
    published: bool


class TicketDonationIn(Strict):
    organization_id: int
    campaign_id: int
    venue_id: int | None = None
    donor: str = Field(max_length=100)
    supervisor: str = Field("", max_length=100)
    quantity: int
    requirements: str = Field("", max_length=200)
    claim_time: str = Field("", max_length=100)
    claim_place: str = Field("", max_length=200)
    contact: str = Field("", max_length=100)
    note: str = Field("", max_length=200)
    title: str = Field("", max_length=100)
    claim_opens_at: dt.datetime | None = None
    claim_closes_at: dt.datetime | None = None
    per_claim_limit: int = 10
    hold_hours: int = 72
    published: bool = False


class DonationPatch(Strict):
    venue_id: int | None = None
    donor: str | None = Field(None, max_length=100)
    supervisor: str | None = Field(None, max_length=100)
    quantity: int | None = None
    requirements: str | None = Field(None, max_length=200)
    claim_time: str | None = Field(None, max_length=100)
    claim_place: str | None = Field(None, max_length=200)
    contact: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=100)
    claim_opens_at: dt.datetime | None = None
    claim_closes_at: dt.datetime | None = None
    per_claim_limit: int | None = None
    hold_hours: int | None = None
    published: bool | None = None


def _venue_ref(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    if "venue_id" in data:
        pk = data.pop("venue_id")
        data["venue"] = selectors.venues(user=user).filter(pk=pk).first() if pk else None
        if pk and data["venue"] is None:
            raise ValidationError({"venue_id": _("所选场馆不存在。")})
    return data


class DonationFilters(Schema):
    campaign: int | None = None


@router.get("/outreach/donations", response=list[OfficerDonationOut])
@paginate(Paginated)
def list_donations(request: AuthedRequest, filters: Query[DonationFilters]) -> Any:
    ticket_services.claims_expire()
    return selectors.donations(user=request.auth, campaign_id=filters.campaign)


@router.post("/outreach/donations", response={201: OfficerDonationOut, **WRITE_ERRORS})
def create_donation(request: AuthedRequest, payload: TicketDonationIn) -> Any:
    data = _venue_ref(request.auth, _campaign(payload.dict()))
    owner = _owner(request.auth, data.pop("organization_id"))
    return Status(201, ticket_services.donation_create(by=request.auth, organization=owner, **data))


def _donation(user: Any, pk: int) -> TicketDonation:
    return access.get_or_404(selectors.donations(user=user), pk=pk)


@router.get("/outreach/donations/{donation_id}", response={200: OfficerDonationOut, 404: Error})
def get_donation(request: AuthedRequest, donation_id: int) -> Any:
    ticket_services.claims_expire()
    return _donation(request.auth, donation_id)


@router.patch("/outreach/donations/{donation_id}", response={200: OfficerDonationOut, **WRITE_ERRORS})
def update_donation(request: AuthedRequest, donation_id: int, payload: DonationPatch) -> Any:
    donation = _donation(request.auth, donation_id)
    nullable = {"venue_id", "claim_opens_at", "claim_closes_at"}
    changes = _venue_ref(request.auth, _no_nulls(payload.dict(exclude_unset=True), nullable))
    return ticket_services.donation_update(by=request.auth, donation=donation, **changes)


class OfficerClaimOut(ClaimOut):
    name: str
    contact_name: str


class ClaimFilters(Schema):
    status: str = ""


@router.get("/outreach/donations/{donation_id}/claims", response=list[OfficerClaimOut])
@paginate(Paginated)
def list_claims(request: AuthedRequest, donation_id: int, filters: Query[ClaimFilters]) -> Any:
    ticket_services.claims_expire()
    donation = _donation(request.auth, donation_id)
    return selectors.claims(user=request.auth, donation=donation, status=filters.status).order_by("-pk")


def _claim(user: Any, code: str) -> TicketClaim:
    return selectors.claim_get(user=user, code=code)


@router.post("/outreach/claims/{code}/collect", response={200: OfficerClaimOut, **WRITE_ERRORS})
def collect_claim(request: AuthedRequest, code: str) -> Any:
    """The donor's unit hands the tickets over (the code from the claimant's QR)."""
    return ticket_services.claim_collect(by=request.auth, claim=_claim(request.auth, code))


@router.post("/outreach/claims/{code}/cancel", response={200: OfficerClaimOut, **WRITE_ERRORS})
def cancel_claim(request: AuthedRequest, code: str) -> Any:
    return ticket_services.claim_cancel(by=request.auth, claim=_claim(request.auth, code))
