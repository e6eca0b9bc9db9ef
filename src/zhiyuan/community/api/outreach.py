"""Officers' endpoints for children and pairings, school donations, events and news (/api/v1/community/…).

A child is listed to every officer in scope but masked (no school, guardian or phone) unless the caller is
the responsible officer or the platform admin; the child's own endpoint is 404 for anyone else."""

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.community.api.schemas import EventOut, NewsOut
from zhiyuan.community.models import Child, EventSignup, News
from zhiyuan.community.models.help import mask_phone
from zhiyuan.community.selectors import children as child_selectors
from zhiyuan.community.selectors import events as event_selectors
from zhiyuan.community.selectors import news as news_selectors
from zhiyuan.community.services import children as child_services
from zhiyuan.community.services import events as event_services
from zhiyuan.community.services import news as news_services
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

router = Router(tags=["community"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


def _org(user: Any, pk: int) -> Any:
    return access.get_or_404(access.organizations(user, Perm.COMMUNITY_VIEW), pk=pk)


class ChildOut(Schema):
    id: int
    revealed: bool = Field(description="false: the caller is not responsible; personal fields are null")
    name: str
    birth_year: int | None
    school: str | None
    guardian_name: str | None
    guardian_phone: str | None
    consent_at: dt.datetime | None
    pairing_count: int = 0

    @staticmethod
    def resolve_revealed(obj: Child) -> bool:
        return bool(getattr(obj, "revealed", False))

    @staticmethod
    def resolve_name(obj: Child) -> str:
        return obj.name if getattr(obj, "revealed", False) else child_selectors.mask_name(obj.name)

    @staticmethod
    def resolve_birth_year(obj: Child) -> int | None:
        return obj.birth_year if getattr(obj, "revealed", False) else None

    @staticmethod
    def resolve_school(obj: Child) -> str | None:
        return obj.school if getattr(obj, "revealed", False) else None

    @staticmethod
    def resolve_guardian_name(obj: Child) -> str | None:
        return obj.guardian_name if getattr(obj, "revealed", False) else None

    @staticmethod
    def resolve_guardian_phone(obj: Child) -> str | None:
        return obj.guardian_phone if getattr(obj, "revealed", False) else None

    @staticmethod
    def resolve_consent_at(obj: Child) -> dt.datetime | None:
        return obj.consent_at if getattr(obj, "revealed", False) else None


def _child(c: Child) -> Child:
    """A child fetched through child_get: the caller may see it in full."""
    c.revealed = True  # type: ignore[attr-defined]
    return c


@router.get("/community/children", response=list[ChildOut])
@paginate(Paginated)
def list_children(request: AuthedRequest) -> Any:
    return child_selectors.child_list(user=request.auth)


@router.get("/community/children/{child_id}", response={200: ChildOut, 404: Error})
def get_child(request: AuthedRequest, child_id: int) -> Any:
    return _child(child_selectors.child_get(user=request.auth, pk=child_id))


class ChildIn(Strict):
    organization_id: int
    name: str = Field(max_length=30)
    birth_year: int
    school: str = Field(max_length=100)
    guardian_name: str = Field(max_length=30)
    guardian_phone: str = Field(max_length=30)
    guardian_consent: bool = Field(description="the guardian agreed (PIPL Art. 31); required")
    consent_note: str = Field(max_length=200, description="how, e.g. 监护人当面签署知情同意书")


@router.post("/community/children", response={201: ChildOut, **WRITE_ERRORS})
def register_child(request: AuthedRequest, payload: ChildIn) -> Any:
    data = payload.dict()
    organization = _org(request.auth, data.pop("organization_id"))
    child = child_services.child_register(by=request.auth, organization=organization, **data)
    return Status(201, _child(child))


class PairingIn(Strict):
    volunteer_number: str = Field(max_length=20)
    started_on: dt.date | None = None


class ChildPairingOut(Schema):
    id: int
    child_id: int
    volunteer_number: str
    responsible_id: int
    started_on: dt.date

    @staticmethod
    def resolve_volunteer_number(obj: Any) -> str:
        return str(obj.volunteer.number)


@router.post("/community/children/{child_id}/pairings", response={201: ChildPairingOut, **WRITE_ERRORS})
def pair_child(request: AuthedRequest, child_id: int, payload: PairingIn) -> Any:
    child = child_selectors.child_get(user=request.auth, pk=child_id)
    volunteer = Volunteer.objects.filter(number=payload.volunteer_number).first()
    pairing = child_services.pairing_create(
        by=request.auth, child=child, volunteer=volunteer, started_on=payload.started_on
    )
    return Status(201, pairing)


class PairingContactIn(Strict):
    day: dt.date
    kind: str = Field(description="visit / phone / study / activity / other")
    help_given: str = Field(max_length=2000)


class PairingContactOut(Schema):
    id: int
    pairing_id: int
    day: dt.date
    kind: str
    help_given: str


@router.post("/community/pairings/{pairing_id}/contacts", response={201: PairingContactOut, **WRITE_ERRORS})
def add_contact(request: AuthedRequest, pairing_id: int, payload: PairingContactIn) -> Any:
    pairing = child_selectors.pairing_get(user=request.auth, pk=pairing_id)
    return Status(201, child_services.pairing_contact_add(by=request.auth, pairing=pairing, **payload.dict()))


class SchoolDonationIn(Strict):
    organization_id: int
    school: str = Field(max_length=100)
    items: str = Field(max_length=100)
    quantity: int = Field(ge=1)
    unit: str = Field("件", max_length=10)
    donor: str = Field(max_length=100)
    donated_on: dt.date


class SchoolDonationOut(Schema):
    id: int
    organization_id: int
    school: str
    items: str
    quantity: int
    unit: str
    donor: str
    donated_on: dt.date


class DonationTotal(Schema):
    school: str
    items: str
    unit: str
    donations: int
    quantity: int


@router.get("/community/donations", response=list[SchoolDonationOut])
@paginate(Paginated)
def list_donations(request: AuthedRequest, school: str = "") -> Any:
    return child_selectors.donation_list(user=request.auth, school=school)


@router.get("/community/donations/totals", response=list[DonationTotal])
@paginate(Paginated)
def donation_totals(request: AuthedRequest) -> Any:
    return child_selectors.donation_totals(user=request.auth)


@router.post("/community/donations", response={201: SchoolDonationOut, **WRITE_ERRORS})
def record_donation(request: AuthedRequest, payload: SchoolDonationIn) -> Any:
    data = payload.dict()
    organization = _org(request.auth, data.pop("organization_id"))
    return Status(201, child_services.donation_record(by=request.auth, organization=organization, **data))


# --- events ------------------------------------------------------------------------------------------------


class EventIn(Strict):
    organization_id: int
    kind: str = Field(
        description="dumplings 包饺子 / dumpling_delivery 送饺子 / spring 迎春活动 / performance / film / other"
    )
    title: str = Field(max_length=100)
    place: str = Field(max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int = Field(ge=1)
    description: str = Field("", max_length=3000)
    published: bool = True
    volunteer_places: int = Field(0, ge=0, description="lays out a volunteer shift for the event when > 0")


class OfficerEventOut(EventOut):
    taken: int
    published: bool
    shift_id: int | None


@router.get("/community/events", response=list[OfficerEventOut])
@paginate(Paginated)
def list_my_events(request: AuthedRequest) -> Any:
    return event_selectors.event_list(user=request.auth)


@router.post("/community/events", response={201: OfficerEventOut, **WRITE_ERRORS})
def create_event(request: AuthedRequest, payload: EventIn) -> Any:
    data = payload.dict()
    organization = _org(request.auth, data.pop("organization_id"))
    return Status(201, event_services.event_create(by=request.auth, organization=organization, **data))


class SignupRow(Schema):
    id: int
    name: str
    phone: str
    party_size: int
    attended: bool | None
    created_at: dt.datetime


def _row(s: EventSignup, full: bool) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "phone": s.phone if full else mask_phone(s.phone),
        "party_size": s.party_size,
        "attended": s.attended,
        "created_at": s.created_at,
    }


@router.get("/community/events/{event_id}/signups", response={200: list[SignupRow], 404: Error})
@paginate(Paginated)
def list_signups(request: AuthedRequest, event_id: int) -> Any:
    event = event_selectors.event_get(user=request.auth, pk=event_id)
    full = access.can(request.auth, Perm.COMMUNITY_CHANGE, event.organization)
    return [_row(s, full) for s in event_selectors.signups_of(event)]


class EventAttendanceIn(Strict):
    attended: bool


@router.post("/community/signups/{signup_id}/attendance", response={200: SignupRow, **WRITE_ERRORS})
def mark_attendance(request: AuthedRequest, signup_id: int, payload: EventAttendanceIn) -> Any:
    signup = event_selectors.signup_get(user=request.auth, pk=signup_id)
    done = event_services.event_attendance_mark(by=request.auth, signup=signup, attended=payload.attended)
    return _row(done, True)


# --- news --------------------------------------------------------------------------------------------------


class NewsIn(Strict):
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000)
    source_label: str = Field("", max_length=100)


class OfficerNewsOut(NewsOut):
    organization_id: int | None
    unpublished_at: dt.datetime | None


@router.get("/community/news", response=list[OfficerNewsOut])
@paginate(Paginated)
def list_my_news(request: AuthedRequest) -> Any:
    return news_selectors.news_list(user=request.auth).prefetch_related("photos")


@router.post("/community/news", response={201: OfficerNewsOut, **WRITE_ERRORS})
def publish_news(request: AuthedRequest, payload: NewsIn) -> Any:
    """JSON without photos; the page at /app/community/news/new/ takes photos."""
    return Status(201, news_services.news_publish(by=request.auth, **payload.dict()))


@router.post("/community/news/{news_id}/unpublish", response={200: OfficerNewsOut, **WRITE_ERRORS})
def unpublish_news(request: AuthedRequest, news_id: int) -> Any:
    news: News = news_selectors.news_get(user=request.auth, pk=news_id)
    return news_services.news_unpublish(by=request.auth, news=news)
