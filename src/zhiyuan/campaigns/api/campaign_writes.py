"""POST /api/v1/campaigns, PATCH /api/v1/campaigns/{slug} and the campaign's change history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.pagination import paginate
from pydantic import Field

# the same router as the reads: GET and PATCH /campaigns/{slug} must be one path operation
from zhiyuan.campaigns.api.campaigns import WRITE_ERRORS, CampaignDetail, router
from zhiyuan.campaigns.selectors import campaigns as selectors
from zhiyuan.campaigns.services.campaigns import (
    ItemSpec,
    PhaseSpec,
    ProgrammeSpec,
    campaign_create,
    campaign_update,
)
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm


class PhaseIn(Strict):
    kind: str = Field(description="prepare 准备 / implement 实施 / summary 总结 / other")
    name: str = Field(max_length=50)
    starts_on: dt.date
    ends_on: dt.date


class ItemIn(Strict):
    title: str = Field(max_length=200)
    description: str = Field("", max_length=2000)
    responsible_ids: list[int] = Field([], max_length=100, description="责任单位（组织 id）")
    responsible_note: str = Field("", max_length=300, description="泛指的责任单位，如“各级文明单位”")


class ProgrammeIn(Strict):
    name: str = Field(max_length=100)
    description: str = Field("", max_length=2000)
    items: list[ItemIn] = Field([], max_length=100)


class CampaignIn(Strict):
    slug: str = Field(max_length=50, description="小写字母、数字和连字符，如 chunyun-2027")
    title: str = Field(max_length=200)
    theme: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    organizer_id: int = Field(description="主办单位：须为您可管理活动的组织")
    starts_on: dt.date
    ends_on: dt.date
    anchor: str = Field("calendar", description="spring_festival 随春节 / calendar 同月同日（复制时用）")
    phases: list[PhaseIn] = Field([], max_length=20)
    programmes: list[ProgrammeIn] = Field([], max_length=50)


class CampaignPatch(Strict):
    title: str | None = Field(None, max_length=200)
    theme: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    organizer_id: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    anchor: str | None = None
    phases: list[PhaseIn] | None = Field(None, max_length=20, description="给出时替换全部阶段")
    programmes: list[ProgrammeIn] | None = Field(None, max_length=50, description="给出时替换全部项目")


class ChangeOut(Schema):
    at: dt.datetime
    by: str
    kind: str = Field(description="+ 创建 / ~ 修改 / - 删除")
    fields: list[str]


def _organizer(user: Any, pk: int) -> Organization:
    found = access.organizations(user, Perm.CAMPAIGN_CHANGE).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"organizer_id": _("所选主办单位不存在或您无权管理。")})
    return found


def _programmes(user: Any, programmes: list[ProgrammeIn]) -> list[ProgrammeSpec]:
    ids = {pk for p in programmes for item in p.items for pk in item.responsible_ids}
    found = {o.pk: o for o in access.organizations(user, Perm.ORG_VIEW).filter(pk__in=ids)}
    missing = sorted(ids - set(found))
    if missing:
        raise ValidationError(
            {"programmes": _("未找到责任单位：%(ids)s。") % {"ids": "、".join(map(str, missing))}}
        )
    return [
        ProgrammeSpec(
            name=p.name,
            description=p.description,
            items=[
                ItemSpec(
                    title=i.title,
                    description=i.description,
                    responsible=[found[pk] for pk in dict.fromkeys(i.responsible_ids)],
                    responsible_note=i.responsible_note,
                )
                for i in p.items
            ],
        )
        for p in programmes
    ]


def _phases(phases: list[PhaseIn]) -> list[PhaseSpec]:
    return [PhaseSpec(p.kind, p.name, p.starts_on, p.ends_on) for p in phases]


@router.post("/campaigns", response={201: CampaignDetail, **WRITE_ERRORS})
def create_campaign(request: AuthedRequest, payload: CampaignIn) -> Any:
    """A new campaign with its phases, programmes and service items; every problem at once, nothing saved
    when one is found. Stations are added with POST /stations (campaign_id)."""
    data = payload.dict()
    campaign = campaign_create(
        by=request.auth,
        organizer=_organizer(request.auth, data.pop("organizer_id")),
        phases=_phases(payload.phases),
        programmes=_programmes(request.auth, payload.programmes),
        **{k: v for k, v in data.items() if k not in ("phases", "programmes")},
    )
    return Status(201, selectors.campaign_get(user=request.auth, slug=campaign.slug))


@router.patch("/campaigns/{slug}", response={200: CampaignDetail, **WRITE_ERRORS})
def update_campaign(request: AuthedRequest, slug: str, payload: CampaignPatch) -> Any:
    """Edit while planned or running (409 once it has ended); the change is kept in its history."""
    campaign = selectors.campaign_get(user=request.auth, slug=slug)
    changes = payload.dict(exclude_unset=True)
    empty = sorted(k for k, v in changes.items() if v is None or (k == "title" and not v))
    if empty:
        raise ValidationError({k: _("此项不能为空。") for k in empty})
    if "organizer_id" in changes:
        changes["organizer"] = _organizer(request.auth, changes.pop("organizer_id"))
    phases = _phases(payload.phases) if payload.phases is not None else None
    programmes = _programmes(request.auth, payload.programmes) if payload.programmes is not None else None
    changes.pop("phases", None)
    changes.pop("programmes", None)
    campaign_update(by=request.auth, campaign=campaign, phases=phases, programmes=programmes, **changes)
    return Status(200, selectors.campaign_get(user=request.auth, slug=slug))


@router.get("/campaigns/{slug}/history", response={200: list[ChangeOut], 404: Error})
@paginate(Paginated)
def campaign_history(request: AuthedRequest, slug: str) -> Any:
    campaign = selectors.campaign_get(user=request.auth, slug=slug)
    return selectors.campaign_changes(campaign=campaign)
