"""/api/v1/rankings — volunteers by verified hours in a period, per organisation subtree or campaign."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from zhiyuan.campaigns.selectors.campaigns import campaign_list
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.pagination import PageQuery
from zhiyuan.hours.services.rankings import ranking
from zhiyuan.organizations.roles import Perm

router = Router(tags=["hours"])


class RankingFilters(PageQuery):
    organization: int | None = Field(None, description="队伍或单位（含下级）")
    campaign: str = Field("", max_length=50, description="活动代码，例如 chunyun-2019")
    start: dt.date | None = Field(None, description="起始日期，默认当年1月1日")
    end: dt.date | None = Field(None, description="截止日期（含），默认今天")


class RankOut(Schema):
    rank: int
    volunteer_number: str = Field(alias="number")
    name: str
    home: str
    hours: Decimal
    total_hours: Decimal
    stars: int
    awards: int


class RankingOut(Schema):
    start: dt.date
    end: dt.date
    items: list[RankOut]
    count: int


@router.get("/rankings", response={200: RankingOut, 403: Error, 404: Error, 422: ValidationErrors})
def rankings(request: AuthedRequest, filters: Query[RankingFilters]) -> Any:
    organization = campaign = None
    if filters.campaign:
        campaign = access.get_or_404(campaign_list(user=request.auth), slug=filters.campaign)
    if filters.organization is not None:
        organization = access.get_or_404(
            access.organizations(request.auth, Perm.ORG_VIEW), pk=filters.organization
        )
    today = timezone.localdate()
    start, end = filters.start or today.replace(month=1, day=1), filters.end or today
    rows, count = ranking(
        user=request.auth,
        start=start,
        end=end,
        organization=organization,
        campaign=campaign,
        limit=filters.limit,
        offset=filters.offset,
    )
    return {"start": start, "end": end, "items": rows, "count": count}
