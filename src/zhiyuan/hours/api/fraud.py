"""/api/v1/ledger/{id}/void (作废), /api/v1/backfills (补录: request, list, decide) and
/api/v1/me/hours/split (credit hours apart from entered hours) — services/fraud.py decides."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.hours.api.ledger import LedgerEntryOut
from zhiyuan.hours.models import LedgerEntry
from zhiyuan.hours.services.fraud import (
    APPROVE_PERM,
    REQUEST_PERM,
    backfill_decide,
    backfill_request,
    backfills_for,
    hours_split,
    ledger_void,
)
from zhiyuan.people.models import Volunteer
from zhiyuan.people.selectors.volunteers import volunteer_get

router = Router(tags=["hours"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class VoidIn(Strict):
    reason: str = Field(max_length=200)


class BackfillIn(Strict):
    volunteer_number: str = Field(max_length=20)
    organization_id: int
    activity: str = Field(max_length=200)
    place: str = Field("", max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str = Field(max_length=200)
    evidence: str = Field(max_length=2000, description="证明材料：签到表、照片说明、活动负责人证明等")


class BackfillOut(Schema):
    id: int
    volunteer_number: str = Field(alias="volunteer.number")
    organization_id: int
    activity: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    evidence: str
    requested_by_id: int
    status: str
    decided_by_id: int | None
    note: str
    ledger_entry_id: int | None
    created_at: dt.datetime


class BackfillDecisionIn(Strict):
    approve: bool
    note: str = Field("", max_length=200)


class HoursSplitOut(Schema):
    credit: Decimal = Field(description="本人扫码签到签退的时长")
    entered: Decimal = Field(description="由负责人录入的时长（批量签到、补签、补录、导入、自主申报）")


@router.post("/ledger/{entry_id}/void", response={201: LedgerEntryOut, **WRITE_ERRORS})
def void_entry(request: AuthedRequest, entry_id: int, payload: VoidIn) -> Any:
    entry = access.get_or_404(
        LedgerEntry.objects.filter(access.scope(request.auth, APPROVE_PERM, via="organization")), pk=entry_id
    )
    return Status(201, ledger_void(by=request.auth, entry=entry, reason=payload.reason))


@router.get("/backfills", response=list[BackfillOut])
@paginate(Paginated)
def list_backfills(
    request: AuthedRequest, status: Literal["pending", "approved", "rejected"] | None = None
) -> Any:
    rows = backfills_for(user=request.auth).select_related("volunteer")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "-created_at", "pk")


@router.post("/backfills", response={201: BackfillOut, **WRITE_ERRORS})
def post_backfill(request: AuthedRequest, payload: BackfillIn) -> Any:
    organization = access.get_or_404(
        access.organizations(request.auth, REQUEST_PERM), pk=payload.organization_id
    )
    volunteer: Volunteer = volunteer_get(user=request.auth, number=payload.volunteer_number)
    data = payload.dict(exclude={"volunteer_number", "organization_id"})
    made = backfill_request(by=request.auth, volunteer=volunteer, organization=organization, **data)
    return Status(201, made)


@router.post("/backfills/{backfill_id}/decide", response={200: BackfillOut, **WRITE_ERRORS})
def decide_backfill(request: AuthedRequest, backfill_id: int, payload: BackfillDecisionIn) -> Any:
    backfill = access.get_or_404(backfills_for(user=request.auth), pk=backfill_id)
    return backfill_decide(by=request.auth, backfill=backfill, approve=payload.approve, note=payload.note)


@router.get("/me/hours/split", response={200: HoursSplitOut, 404: Error})
def my_split(request: AuthedRequest) -> Any:
    volunteer = access.get_or_404(Volunteer.objects.all(), user=request.auth)
    return hours_split(volunteer)
