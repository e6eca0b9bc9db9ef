"""POST /api/v1/campaigns/{slug}/rotation (with a dry-run preview) and swapping two units' days."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

# the campaigns router: these paths sit under /campaigns/{slug} beside the reads
from zhiyuan.campaigns.api.campaigns import WRITE_ERRORS, DutyOut, router
from zhiyuan.campaigns.selectors import campaigns as selectors
from zhiyuan.campaigns.services.rotation_edit import duties_swap, rotation_lay
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Strict
from zhiyuan.organizations.roles import Perm


class ExceptionIn(Strict):
    day: dt.date
    place: str = Field(max_length=100, description="这一天改在此处，如 航空港候机楼")


class RotationIn(Strict):
    places: list[str] = Field(min_length=1, max_length=10, description="轮流的地点，如 火车站、火车东站")
    organization_ids: list[int] = Field(min_length=1, max_length=200, description="责任单位，按轮值顺序")
    labels: list[str] = Field([], max_length=200, description="附件5中的写法，与单位一一对应")
    start: dt.date
    end: dt.date | None = Field(None, description="留空为每个单位一天")
    skip_days: list[dt.date] = Field([], max_length=100, description="另外跳过的日子")
    skip_holidays: bool = Field(True, description="跳过节假日表中的放假日（如春节）")
    exceptions: list[ExceptionIn] = Field([], max_length=50)
    dry_run: bool = Field(True, description="true：只预览；false：写入，替换尚未进行的安排")


class TurnOut(Schema):
    day: dt.date
    place: str
    organization_id: int
    organization_name: str
    label: str


class RotationOut(Schema):
    written: bool
    count: int
    turns: list[TurnOut]


class SwapIn(Strict):
    first_id: int
    second_id: int


@router.post("/campaigns/{slug}/rotation", response={200: RotationOut, **WRITE_ERRORS})
def lay_rotation(request: AuthedRequest, slug: str, payload: RotationIn) -> Any:
    """Preview (dry_run, the default) or write the concentrated-service rotation (attachment 5)."""
    campaign = selectors.campaign_get(user=request.auth, slug=slug)
    ids = list(payload.organization_ids)
    found = {o.pk: o for o in access.organizations(request.auth, Perm.ORG_VIEW).filter(pk__in=ids)}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise ValidationError(
            {"organization_ids": _("未找到单位：%(ids)s。") % {"ids": "、".join(map(str, missing))}}
        )
    turns = rotation_lay(
        by=request.auth,
        campaign=campaign,
        organizations=[found[pk] for pk in ids],
        places=payload.places,
        start=payload.start,
        end=payload.end,
        skip_days=payload.skip_days,
        skip_holidays=payload.skip_holidays,
        exceptions={e.day: e.place for e in payload.exceptions},
        labels=payload.labels,
        dry_run=payload.dry_run,
    )
    rows = [
        {
            "day": t.day,
            "place": t.place,
            "organization_id": t.organization.pk,
            "organization_name": t.organization.name,
            "label": t.label,
        }
        for t in turns
    ]
    return Status(200, {"written": not payload.dry_run, "count": len(rows), "turns": rows})


@router.post("/campaigns/{slug}/rotation/swap", response={200: list[DutyOut], **WRITE_ERRORS})
def swap_duties(request: AuthedRequest, slug: str, payload: SwapIn) -> Any:
    """Two units trade their days (dates and places stay)."""
    campaign = selectors.campaign_get(user=request.auth, slug=slug)
    duties = selectors.duty_list(user=request.auth, campaign=campaign)
    first = access.get_or_404(duties, pk=payload.first_id)
    second = access.get_or_404(duties, pk=payload.second_id)
    duties_swap(by=request.auth, campaign=campaign, first=first, second=second)
    return Status(200, list(duties.filter(pk__in=[first.pk, second.pk])))
