"""Public endpoints (no auth): read events and news; file a help request, check its status by code, sign up
for an event. Filing and signing up are rate-limited per IP and per phone (429)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.models import Station
from zhiyuan.community import throttle
from zhiyuan.community.api.schemas import EventOut, HelpStatusOut, NewsOut
from zhiyuan.community.selectors import events as event_selectors
from zhiyuan.community.selectors import help as help_selectors
from zhiyuan.community.selectors import news as news_selectors
from zhiyuan.community.services import events as event_services
from zhiyuan.community.services import help as help_services
from zhiyuan.core import access
from zhiyuan.core.api import Error, Strict, ValidationErrors
from zhiyuan.core.api_errors import ApiError
from zhiyuan.core.pagination import Paginated

router = Router(tags=["public"])
PUBLIC_WRITE: dict[int, Any] = {404: Error, 409: Error, 422: ValidationErrors, 429: Error}


class HelpIn(Strict):
    kind: str = Field(
        description="information 信息咨询 / tickets 购票 / legal 法律援助 / medical 医疗 / wages 薪资 / other 其他"
    )
    description: str = Field(max_length=2000)
    phone: str = Field(max_length=30)
    name: str = Field("", max_length=30)
    station_id: int | None = None
    place: str = Field("", max_length=100)


class HelpFiled(Schema):
    code: str = Field(description="查询码: keep it, with the phone's last four digits, to check the status")
    status: str
    organization_name: str


@router.post("/help-requests", auth=None, response={201: HelpFiled, **PUBLIC_WRITE})
def file_help_request(request: HttpRequest, payload: HelpIn) -> Any:
    try:
        throttle.check("help", ip=throttle.client_ip(request), phone=payload.phone)
    except throttle.TooMany as exc:
        raise ApiError(429, str(exc)) from None
    station = None
    if payload.station_id is not None:
        station = access.get_or_404(
            Station.objects.select_related("responsible_office"), pk=payload.station_id
        )
    filed = help_services.help_request_file(
        by=None,
        kind=payload.kind,
        description=payload.description,
        phone_number=payload.phone,
        name=payload.name,
        station=station,
        place=payload.place,
    )
    return Status(
        201, {"code": filed.code, "status": filed.status, "organization_name": filed.organization.name}
    )


class StatusIn(Strict):
    code: str = Field(max_length=20)
    last4: str = Field(min_length=4, max_length=4, description="联系电话后四位")


@router.post("/help-requests/status", auth=None, response={200: HelpStatusOut, 404: Error, 429: Error})
def help_request_status(request: HttpRequest, payload: StatusIn) -> Any:
    """POST so the code and digits stay out of URLs and logs. A wrong code and wrong digits look the same."""
    try:
        throttle.check("status", ip=throttle.client_ip(request))
    except throttle.TooMany as exc:
        raise ApiError(429, str(exc)) from None
    found = help_selectors.help_lookup(code=payload.code, last4=payload.last4)
    if found is None:
        raise ApiError(404, _("查询码或电话后四位不正确。"))
    return found


@router.get("/events", auth=None, response=list[EventOut])
@paginate(Paginated)
def list_events(request: HttpRequest) -> Any:
    return event_selectors.public_events()


@router.get("/events/{event_id}", auth=None, response={200: EventOut, 404: Error})
def get_event(request: HttpRequest, event_id: int) -> Any:
    return event_selectors.public_event_get(pk=event_id)


class SignupIn(Strict):
    name: str = Field(max_length=30)
    phone: str = Field(max_length=30)
    party_size: int = Field(1, ge=1, le=10)


class EventSignupOut(Schema):
    code: str
    event_id: int
    party_size: int


@router.post("/events/{event_id}/signups", auth=None, response={201: EventSignupOut, **PUBLIC_WRITE})
def sign_up(request: HttpRequest, event_id: int, payload: SignupIn) -> Any:
    """Full, closed, or the phone already signed up: 409."""
    event = event_selectors.public_event_get(pk=event_id)
    try:
        throttle.check("signup", ip=throttle.client_ip(request), phone=payload.phone)
    except throttle.TooMany as exc:
        raise ApiError(429, str(exc)) from None
    signup = event_services.event_signup_create(
        event=event, name=payload.name, phone_number=payload.phone, party_size=payload.party_size
    )
    return Status(201, {"code": signup.code, "event_id": event.pk, "party_size": signup.party_size})


@router.get("/news", auth=None, response=list[NewsOut])
@paginate(Paginated)
def list_news(request: HttpRequest) -> Any:
    return news_selectors.public_news()


@router.get("/news/{news_id}", auth=None, response={200: NewsOut, 404: Error})
def get_news(request: HttpRequest, news_id: int) -> Any:
    return news_selectors.public_news_get(pk=news_id)
