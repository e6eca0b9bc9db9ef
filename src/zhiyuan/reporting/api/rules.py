"""/api/v1/campaigns/{slug}/report-rules: a campaign's deadline rules, read by anyone who sees the campaign
and set by whoever manages it (campaign.change at its organiser)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.selectors.campaigns import campaign_get
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.api.schemas import RuleOut
from zhiyuan.reporting.models import ReportRule
from zhiyuan.reporting.selectors.rules import campaign_rules
from zhiyuan.reporting.services.rules import rule_create, rule_update

router = Router(tags=["reports"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class RuleDetailOut(RuleOut):
    applies_to_id: int | None
    include_root: bool
    applies_to_kinds: list[str]
    applies_to_depth: int | None
    organization_ids: list[int]
    receiver_id: int | None

    @staticmethod
    def resolve_organization_ids(obj: ReportRule) -> list[int]:
        return [o.pk for o in obj.organizations.all()]


_KIND_HELP = "absolute 固定时间 / relative 事件后若干小时 / daily 每天 / weekly 每周 / any_time 随时"


class RuleIn(Strict):
    title: str = Field(max_length=200)
    form: str = Field(description="plan / dynamic_info / activity_report / summary / daily_brief / …")
    description: str = Field("", max_length=5000)
    photos_required: bool = False
    applies_to_id: int | None = Field(None, description="上报范围：这个组织之下")
    include_root: bool = Field(False, description="该组织本身也要报")
    applies_to_kinds: list[str] = Field(
        [], max_length=10, description="哪些类型的下级组织要报，如 office、unit"
    )
    applies_to_depth: int | None = Field(None, description="1 为直属下级；留空为全部下级")
    organization_ids: list[int] = Field([], max_length=500, description="另外指定的单位")
    receiver_id: int | None = Field(None, description="报送给谁；留空为活动主办单位")
    deadline_kind: str = Field(description=_KIND_HELP)
    due_at: datetime | None = Field(None, description="固定时间（北京时间）")
    relative_to: str = Field("", description="duty_end 每次集中服务结束后 / campaign_end 活动结束后")
    relative_hours: int | None = Field(None, ge=0, le=1440)
    due_time: time | None = Field(None, description="每天或每周的截止时刻（北京时间）")
    weekday: int | None = Field(None, ge=0, le=6, description="0 为周一，4 为周五")
    include_weekends: bool = Field(False, description="周末和节假日也要报（如“每天”）")
    active_from: date | None = None
    active_to: date | None = None


class RulePatch(Strict):
    title: str | None = Field(None, max_length=200)
    form: str | None = None
    description: str | None = Field(None, max_length=5000)
    photos_required: bool | None = None
    applies_to_id: int | None = None
    include_root: bool | None = None
    applies_to_kinds: list[str] | None = Field(None, max_length=10)
    applies_to_depth: int | None = None
    organization_ids: list[int] | None = Field(None, max_length=500)
    receiver_id: int | None = None
    deadline_kind: str | None = None
    due_at: datetime | None = None
    relative_to: str | None = None
    relative_hours: int | None = Field(None, ge=0, le=1440)
    due_time: time | None = None
    weekday: int | None = Field(None, ge=0, le=6)
    include_weekends: bool | None = None
    active_from: date | None = None
    active_to: date | None = None


_NOT_NULL = {"title", "form", "photos_required", "include_root", "applies_to_kinds", "deadline_kind"}
_NOT_NULL |= {"include_weekends", "organization_ids"}


def _arguments(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Body ids → organisations; any the user cannot see is "not found", like an id in the URL."""
    ids = {data.get("applies_to_id"), data.get("receiver_id"), *(data.get("organization_ids") or [])}
    ids.discard(None)
    found = {o.pk: o for o in access.organizations(user, Perm.ORG_VIEW).filter(pk__in=ids)}
    errors: dict[str, str] = {}
    for key in ("applies_to_id", "receiver_id"):
        if key in data:
            pk = data.pop(key)
            if pk is not None and pk not in found:
                errors[key] = _("所选组织不存在。")
            data[key.removesuffix("_id")] = found.get(pk) if pk is not None else None
    if "organization_ids" in data:
        pks = list(dict.fromkeys(data.pop("organization_ids")))
        if set(pks) - set(found):
            errors["organization_ids"] = _("所选单位不存在。")
        data["organizations"] = [found[pk] for pk in pks if pk in found]
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/campaigns/{slug}/report-rules", response={200: list[RuleDetailOut], 404: Error})
@paginate(Paginated)
def list_campaign_rules(request: AuthedRequest, slug: str) -> Any:
    return campaign_rules(campaign_get(user=request.auth, slug=slug))


@router.post("/campaigns/{slug}/report-rules", response={201: RuleDetailOut, **WRITE_ERRORS})
def create_campaign_rule(request: AuthedRequest, slug: str, payload: RuleIn) -> Any:
    campaign = campaign_get(user=request.auth, slug=slug)
    rule = rule_create(by=request.auth, campaign=campaign, **_arguments(request.auth, payload.dict()))
    return Status(201, campaign_rules(campaign).get(pk=rule.pk))


@router.get("/campaigns/{slug}/report-rules/{rule_id}", response={200: RuleDetailOut, 404: Error})
def get_campaign_rule(request: AuthedRequest, slug: str, rule_id: int) -> Any:
    return access.get_or_404(campaign_rules(campaign_get(user=request.auth, slug=slug)), pk=rule_id)


@router.patch("/campaigns/{slug}/report-rules/{rule_id}", response={200: RuleDetailOut, **WRITE_ERRORS})
def update_campaign_rule(request: AuthedRequest, slug: str, rule_id: int, payload: RulePatch) -> Any:
    campaign = campaign_get(user=request.auth, slug=slug)
    rule = access.get_or_404(campaign_rules(campaign), pk=rule_id)
    changes = payload.dict(exclude_unset=True)
    empty = sorted(k for k in changes if changes[k] is None and k in _NOT_NULL)
    if empty:
        raise ValidationError({k: _("此项不能为空。") for k in empty})
    for text in ("description", "relative_to"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    rule_update(by=request.auth, rule=rule, **_arguments(request.auth, changes))
    return Status(200, campaign_rules(campaign).get(pk=rule_id))
