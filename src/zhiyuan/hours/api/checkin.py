"""POST /api/v1/checkins — what the scan page (and its offline queue) calls."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from zhiyuan.campaigns.models import Signup
from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.hours.services.checkin import checkin_record
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

router = Router(tags=["hours"])


class CheckInIn(Strict):
    key: str = Field(min_length=8, max_length=64, description="设备生成的唯一标识；重发同一请求不会重复记录")
    kind: str = Field(description="in 或 out")
    token: str = Field("", max_length=200, description="现场二维码中的令牌（本人签到时必填）")
    shift_id: int | None = Field(None, description="队长为他人签到时的班次")
    volunteer_number: str = Field("", max_length=20, description="队长为他人签到时的志愿者编号")
    at: dt.datetime | None = Field(None, description="扫码时间（离线补传时为当时的时间）")
    latitude: float | None = None
    longitude: float | None = None


class CheckInOut(Schema):
    key: str
    kind: str
    at: dt.datetime = Field(description="记录的扫码时间：在线扫码为服务器收到的时间")
    received_at: dt.datetime | None = Field(description="服务器收到的时间")
    shift_id: int | None
    shift_title: str = ""
    station_name: str = ""
    status: str = Field(
        description="signed_in 已签到 / credited 已计入 / pending 部分待审批 / held 待队长核查"
    )
    hours: str | None = Field(description="已计入的小时数")
    pending_hours: str = Field(description="超出每日上限、等待审批的小时数")
    flagged: str = Field(description="需要队长核查的原因")

    @staticmethod
    def resolve_hours(obj: Any) -> str | None:
        return str(obj.ledger_entry.hours) if obj.ledger_entry_id else None

    @staticmethod
    def resolve_shift_title(obj: Any) -> str:
        return obj.shift.title if obj.shift_id else ""

    @staticmethod
    def resolve_station_name(obj: Any) -> str:
        return obj.station.name if obj.station_id else ""

    @staticmethod
    def resolve_pending_hours(obj: Any) -> str:
        return str(sum((a.hours for a in obj.approvals.all()), Decimal("0.00")))

    @staticmethod
    def resolve_status(obj: Any) -> str:
        if obj.held:
            return "held"
        if obj.kind == "in":
            return "signed_in"
        return "pending" if obj.approvals.exists() else "credited"


@router.post(
    "/checkins",
    response={200: CheckInOut, 201: CheckInOut, 403: Error, 404: Error, 409: Error, 422: ValidationErrors},
)
def post_checkin(request: AuthedRequest, payload: CheckInIn) -> Any:
    """Idempotent: 201 for a new scan, 200 with the first record when the key was seen before."""
    user = request.auth
    if payload.volunteer_number:
        # a shift out of sight is not found, and only its leaders learn who is booked on it
        shift = shift_selectors.shift_get(user=user, pk=payload.shift_id)
        if not access.can(user, Perm.ATTENDANCE_CHANGE, shift.organization):
            raise access.PermissionDenied(_("只能为自己签到；为他人签到需要管理志愿者的权限。"))
        booked = Volunteer.objects.filter(signups__shift=shift, signups__status=Signup.Status.ACCEPTED)
        volunteer = access.get_or_404(booked, number=payload.volunteer_number)
    else:
        volunteer = access.get_or_404(Volunteer.objects.all(), user=user)
        shift = None
    scan, new = checkin_record(
        by=user,
        volunteer=volunteer,
        key=payload.key,
        kind=payload.kind,
        token=payload.token,
        shift=shift,
        at=payload.at,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201 if new else 200, scan)
