"""/api/v1/me/ledger, correction requests and their review."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.hours.models import Correction, LedgerEntry
from zhiyuan.hours.services.corrections import correction_decide, correction_request
from zhiyuan.organizations.roles import Perm

router = Router(tags=["hours"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class LedgerEntryOut(Schema):
    id: int
    seq: int
    kind: str
    activity: str
    place: str
    content: str
    organization_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: Decimal
    source: str
    reason: str
    created_at: dt.datetime


class CorrectionIn(Strict):
    reason: str = Field(max_length=200)
    new_starts_at: dt.datetime | None = None
    new_ends_at: dt.datetime | None = None


class CorrectionOut(Schema):
    id: int
    entry_id: int
    status: str
    reason: str
    new_starts_at: dt.datetime | None
    new_ends_at: dt.datetime | None
    created_at: dt.datetime


class DecisionIn(Strict):
    approve: bool
    note: str = Field("", max_length=200)


def _reviewable(user: Any) -> Any:
    return Correction.objects.filter(access.scope(user, Perm.HOURS_APPROVE, via="entry__organization"))


@router.get("/me/ledger", response=list[LedgerEntryOut])
@paginate(Paginated)
def my_ledger(request: AuthedRequest) -> Any:
    """The signed-in volunteer's service records, newest first (办法 Art. 12: volunteers see their own)."""
    return LedgerEntry.objects.filter(volunteer__user=request.auth).order_by("-seq")


@router.post("/me/ledger/{entry_id}/corrections", response={201: CorrectionOut, **WRITE_ERRORS})
def request_correction(request: AuthedRequest, entry_id: int, payload: CorrectionIn) -> Any:
    entry = access.get_or_404(
        LedgerEntry.objects.filter(volunteer__user=request.auth).select_related("volunteer"), pk=entry_id
    )
    return Status(201, correction_request(by=request.auth, entry=entry, **payload.dict()))


@router.get("/corrections", response=list[CorrectionOut])
@paginate(Paginated)
def list_corrections(request: AuthedRequest) -> Any:
    return _reviewable(request.auth).order_by("status", "-created_at")


@router.post("/corrections/{correction_id}/decide", response={200: CorrectionOut, **WRITE_ERRORS})
def decide_correction(request: AuthedRequest, correction_id: int, payload: DecisionIn) -> Any:
    correction = access.get_or_404(_reviewable(request.auth), pk=correction_id)
    return correction_decide(by=request.auth, correction=correction, **payload.dict())
