"""/api/v1/campaigns and the rotation's duties: list, add by hand, edit a row, 报备 (cancel or postpone),
mark done."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.models import Station
from zhiyuan.campaigns.selectors import campaigns as selectors
from zhiyuan.campaigns.services.clone import campaign_clone, clone_preview
from zhiyuan.campaigns.services.duties import duty_create, duty_done, duty_file, duty_update
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.roles import Perm

router = Router(tags=["campaigns"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class PhaseOut(Schema):
    kind: str
    name: str
    starts_on: dt.date
    ends_on: dt.date


class CampaignOut(Schema):
    slug: str
    title: str
    theme: str
    anchor: str = Field(description="spring_festival 随春节 / calendar 同月同日")
    organizer_id: int
    starts_on: dt.date
    ends_on: dt.date
    station_count: int | None = None
    duty_count: int | None = None


class ItemOut(Schema):
    title: str
    description: str
    responsible_ids: list[int]
    responsible_note: str

    @staticmethod
    def resolve_responsible_ids(obj: Any) -> list[int]:
        return [o.pk for o in obj.responsible.all()]


class ProgrammeOut(Schema):
    name: str
    description: str
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class CampaignDetail(CampaignOut):
    description: str
    phases: list[PhaseOut]
    programmes: list[ProgrammeOut]

    @staticmethod
    def resolve_phases(obj: Any) -> list[Any]:
        return list(obj.phases.all())

    @staticmethod
    def resolve_programmes(obj: Any) -> list[Any]:
        return list(obj.programmes.prefetch_related("items__responsible"))


class DutyOut(Schema):
    id: int
    date: dt.date
    place: str
    station_id: int | None
    content: str
    responsible_id: int
    responsible_name: str
    responsible_label: str
    contact_name: str
    contact_phone: str
    status: str
    postponed_to: dt.date | None

    @staticmethod
    def resolve_responsible_name(obj: Any) -> str:
        return obj.responsible.name


class DutyFilters(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    place: str = ""
    organization: int | None = None


class FilingIn(Strict):
    kind: str = Field(description="cancel 或 postpone")
    reason: str = Field(max_length=200)
    weather: str = Field("", max_length=100)
    new_date: dt.date | None = None


class DutyPatch(Strict):
    content: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=30)


class DutyIn(Strict):
    date: dt.date
    responsible_id: int = Field(description="责任单位")
    station_id: int | None = Field(None, description="本活动的站点；不填时须填写地点")
    place: str = Field("", max_length=100, description="地点，如 火车站；不填时取站点的地点")
    content: str = Field("", max_length=300)
    responsible_label: str = Field("", max_length=100, description="附件5中的写法")


class CloneIn(Strict):
    year: int = Field(ge=2000, le=2099, description="春节由农历推算，支持到2099年")
    slug: str = Field("", max_length=50, description="留空为原代码换成新年份，如 chunyun-2027")
    dry_run: bool = Field(False, description="true：只返回预览（每个移动的日期），不写入")


class MovedDateOut(Schema):
    section: str
    what: str
    before: dt.date | dt.datetime
    after: dt.date | dt.datetime


class ClonePreviewOut(Schema):
    slug: str
    title: str
    anchor: str
    starts_on: dt.date
    ends_on: dt.date
    dates: list[MovedDateOut]


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Paginated)
def list_campaigns(request: AuthedRequest) -> Any:
    return selectors.campaign_list(user=request.auth)


@router.get("/campaigns/{slug}", response={200: CampaignDetail, 404: Error})
def get_campaign(request: AuthedRequest, slug: str) -> Any:
    return selectors.campaign_get(user=request.auth, slug=slug)


@router.post("/campaigns/{slug}/clone", response={200: ClonePreviewOut, 201: CampaignOut, **WRITE_ERRORS})
def clone_campaign(request: AuthedRequest, slug: str, payload: CloneIn) -> Any:
    """Clone to another year, dated by the campaign's anchor (春节 or calendar); `dry_run` previews every
    moved date (period, phases, station due dates, report deadlines, rotation) without writing."""
    source = selectors.campaign_get(user=request.auth, slug=slug)
    if payload.dry_run:
        access.require(request.auth, Perm.CAMPAIGN_CHANGE, source.organizer)
        return Status(200, clone_preview(source=source, year=payload.year, slug=payload.slug))
    copy = campaign_clone(by=request.auth, source=source, year=payload.year, slug=payload.slug)
    return Status(201, selectors.campaign_get(user=request.auth, slug=copy.slug))


@router.get("/campaigns/{slug}/duties", response=list[DutyOut])
@paginate(Paginated)
def list_duties(request: AuthedRequest, slug: str, filters: Query[DutyFilters]) -> Any:
    campaign = selectors.campaign_get(user=request.auth, slug=slug)
    return selectors.duty_list(user=request.auth, campaign=campaign, **filters.dict())


@router.post("/campaigns/{slug}/duties", response={201: DutyOut, **WRITE_ERRORS})
def create_duty(request: AuthedRequest, slug: str, payload: DutyIn) -> Any:
    campaign = selectors.campaign_get(user=request.auth, slug=slug)
    data = payload.dict()
    errors: dict[str, str] = {}
    # body ids are scoped like URL ids: a unit the caller cannot see, a station of another campaign
    responsible = (
        access.organizations(request.auth, Perm.ORG_VIEW).filter(pk=data.pop("responsible_id")).first()
    )
    if responsible is None:
        errors["responsible_id"] = _("所选单位不存在。")
    station_id = data.pop("station_id")
    station = Station.objects.filter(campaign=campaign, pk=station_id).first() if station_id else None
    if station_id and station is None:
        errors["station_id"] = _("所选站点不属于本活动。")
    if errors or responsible is None:
        raise ValidationError(errors)
    duty = duty_create(by=request.auth, campaign=campaign, responsible=responsible, station=station, **data)
    return Status(201, selectors.duty_get(user=request.auth, pk=duty.pk))


@router.patch("/duties/{duty_id}", response={200: DutyOut, **WRITE_ERRORS})
def update_duty(request: AuthedRequest, duty_id: int, payload: DutyPatch) -> Any:
    duty = selectors.duty_get(user=request.auth, pk=duty_id)
    return duty_update(by=request.auth, duty=duty, **payload.dict(exclude_unset=True))


@router.post("/duties/{duty_id}/filings", response={201: DutyOut, **WRITE_ERRORS})
def file_duty(request: AuthedRequest, duty_id: int, payload: FilingIn) -> Any:
    """报备 a cancellation or postponement — before the duty's date only."""
    duty = selectors.duty_get(user=request.auth, pk=duty_id)
    duty_file(by=request.auth, duty=duty, **payload.dict())
    return Status(201, selectors.duty_get(user=request.auth, pk=duty_id))


@router.post("/duties/{duty_id}/done", response={200: DutyOut, **WRITE_ERRORS})
def mark_duty_done(request: AuthedRequest, duty_id: int) -> Any:
    duty = selectors.duty_get(user=request.auth, pk=duty_id)
    return duty_done(by=request.auth, duty=duty)
