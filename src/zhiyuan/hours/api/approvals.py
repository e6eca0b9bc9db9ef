"""/api/v1/hours/approvals — hours beyond a day's cap, waiting for the approving level (daily_cap.py)."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.hours.services.daily_cap import approval_decide, approvals_for

router = Router(tags=["hours"])


class HoursApprovalOut(Schema):
    id: int
    volunteer_number: str = Field(alias="volunteer.number")
    volunteer_name: str = Field(alias="volunteer.user.full_name")
    organization_id: int
    approver_id: int
    level: int
    activity: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: Decimal
    status: str
    reason: str
    created_at: dt.datetime


class HoursApprovalDecisionIn(Strict):
    approve: bool
    reason: str = Field("", max_length=200, description="不予批准时必填")


@router.get("/hours/approvals", response=list[HoursApprovalOut])
@paginate(Paginated)
def list_approvals(
    request: AuthedRequest, status: Literal["pending", "approved", "rejected"] | None = None
) -> Any:
    """Requests addressed to an organisation where the caller approves hours, oldest pending first."""
    rows = approvals_for(user=request.auth).select_related("volunteer__user")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "starts_at", "pk")


@router.post(
    "/hours/approvals/{approval_id}/decide",
    response={200: HoursApprovalOut, 403: Error, 404: Error, 409: Error, 422: ValidationErrors},
)
def decide_approval(request: AuthedRequest, approval_id: int, payload: HoursApprovalDecisionIn) -> Any:
    approval = access.get_or_404(
        approvals_for(user=request.auth).select_related("volunteer__user", "approver"), pk=approval_id
    )
    return approval_decide(by=request.auth, approval=approval, approve=payload.approve, reason=payload.reason)
