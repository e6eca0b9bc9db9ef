"""/api/v1/shifts/{id}/attendance — the leader's attendance board, bulk sign-in/out and forgotten
sign-outs; /api/v1/checkins/{id}/clear-flag — accepting a flagged scan after a look."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from zhiyuan.campaigns.models import Shift
from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.hours.services.checkin_board import BOARD_PERM, Person, attendance_board, checkins_reviewable
from zhiyuan.hours.services.checkin_bulk import checkin_bulk, checkin_flag_clear

router = Router(tags=["hours"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class ScanOut(Schema):
    id: int
    kind: str
    source: str
    at: dt.datetime
    flagged: str
    needs_review: bool


class PersonOut(Schema):
    volunteer_id: int
    name: str
    number: str
    adhoc: bool
    status: str = Field(description="absent 未到 / in 已签到 / out 已签退")
    signed_in_at: dt.datetime | None
    hours: Decimal
    scans: list[ScanOut]


class BoardOut(Schema):
    shift_id: int
    counts: dict[str, int]
    people: list[PersonOut]


class BulkIn(Strict):
    key: str = Field(min_length=8, max_length=40, description="本次登记的唯一标识；重发不会重复记录")
    action: str = Field(description="in 签到 / out 签退 / fix 补签退（须说明原因）")
    volunteer_ids: list[int] = Field(max_length=500)
    at: dt.datetime
    reason: str = Field("", max_length=200)


class BulkOut(Schema):
    recorded: int
    repeated: int


class ClearIn(Strict):
    note: str = Field(max_length=200)


def _person(p: Person) -> dict[str, Any]:
    open_in = p.open_in
    return {
        "volunteer_id": p.volunteer.pk,
        "name": p.volunteer.user.display_name,
        "number": p.volunteer.number,
        "adhoc": p.adhoc,
        "status": p.status,
        "signed_in_at": open_in.at if open_in else None,
        "hours": p.hours,
        "scans": [
            {
                "id": s.pk,
                "kind": s.kind,
                "source": s.source,
                "at": s.at,
                "flagged": s.flagged,
                "needs_review": s.needs_review,
            }
            for s in p.scans
        ],
    }


def _shift(request: AuthedRequest, shift_id: int) -> Shift:
    shift = shift_selectors.shift_get(user=request.auth, pk=shift_id)  # out of sight: 404
    if not access.can(request.auth, BOARD_PERM, shift.organization):
        raise access.PermissionDenied()
    return shift


@router.get("/shifts/{shift_id}/attendance", response={200: BoardOut, 403: Error, 404: Error})
def get_attendance(request: AuthedRequest, shift_id: int) -> Any:
    """Everyone booked on the shift and everyone who came ad hoc at its station, with where they stand."""
    board = attendance_board(_shift(request, shift_id), timezone.now())
    return {"shift_id": shift_id, "counts": board.counts, "people": [_person(p) for p in board.people]}


@router.post("/shifts/{shift_id}/attendance", response={200: BulkOut, **WRITE_ERRORS})
def post_attendance(request: AuthedRequest, shift_id: int, payload: BulkIn) -> Any:
    """All or nothing: a refused person refuses the batch (422, every person's reason listed)."""
    result = checkin_bulk(by=request.auth, shift=_shift(request, shift_id), **payload.dict())
    return {"recorded": len(result.recorded), "repeated": result.repeated}


@router.post("/checkins/{checkin_id}/clear-flag", response={200: ScanOut, **WRITE_ERRORS})
def clear_flag(request: AuthedRequest, checkin_id: int, payload: ClearIn) -> Any:
    checkin = access.get_or_404(checkins_reviewable(request.auth), pk=checkin_id)
    return checkin_flag_clear(by=request.auth, checkin=checkin, note=payload.note)
