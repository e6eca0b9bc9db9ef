"""API shapes for shifts, sign-ups, swaps and weekly patterns. Input refuses unknown fields."""

from datetime import date, datetime, time, timedelta

from ninja import Schema
from pydantic import Field

from zhiyuan.campaigns.models import Shift, Signup, SwapRequest
from zhiyuan.people.schemas import Strict


class ShiftIn(Strict):
    organization_id: int
    station_id: int | None = None
    title: str = Field(max_length=100)
    starts_at: datetime = Field(description="不带时区时按北京时间")
    ends_at: datetime
    capacity: int
    minimum: int = 0
    minors_allowed: bool = False
    cutoff_hours: int = Field(12, description="开始前多少小时内不能再报名或取消")
    required_skills: list[str] = Field([], description="技能代码，如 medical")
    required_course_ids: list[int] = []


class ShiftPatch(Strict):
    organization_id: int | None = None
    station_id: int | None = None
    title: str | None = Field(None, max_length=100)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int | None = None
    minimum: int | None = None
    minors_allowed: bool | None = None
    cutoff_hours: int | None = None
    required_skills: list[str] | None = None
    required_course_ids: list[int] | None = None


class ShiftOut(Schema):
    id: int
    title: str
    organization_id: int
    organization_name: str
    station_id: int | None
    station_name: str | None
    recurrence_id: int | None
    starts_at: datetime
    ends_at: datetime
    capacity: int
    minimum: int
    accepted_count: int
    waitlisted_count: int
    places_left: int
    minors_allowed: bool
    cutoff_hours: int
    signup_closes_at: datetime
    required_skills: list[str]
    cancelled_at: datetime | None = Field(None, description="已取消时的取消时间")
    cancel_reason: str = ""
    my_status: str | None = Field(None, description="accepted 已报名 / waitlisted 候补 / 未报名为空")
    my_signup_id: int | None = None

    @staticmethod
    def resolve_organization_name(obj: Shift) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_station_name(obj: Shift) -> str | None:
        return obj.station.name if obj.station else None

    @staticmethod
    def resolve_places_left(obj: Shift) -> int:
        return max(obj.capacity - obj.accepted_count, 0)

    @staticmethod
    def resolve_signup_closes_at(obj: Shift) -> datetime:
        return obj.starts_at - timedelta(hours=obj.cutoff_hours)

    @staticmethod
    def resolve_required_skills(obj: Shift) -> list[str]:
        return [s.code for s in obj.required_skills.all()]


class ShiftDetailOut(ShiftOut):
    required_courses: list[str]

    @staticmethod
    def resolve_required_courses(obj: Shift) -> list[str]:
        return [c.name for c in obj.required_courses.all()]


class SignupOut(Schema):
    id: int
    shift_id: int
    shift_title: str
    starts_at: datetime
    ends_at: datetime
    station_name: str | None
    volunteer_number: str
    volunteer_name: str
    status: str
    status_label: str
    position: int | None = Field(None, description="候补名次，1 为下一个递补")
    assigned: bool = Field(description="由队长安排")
    created_at: datetime
    cancelled_at: datetime | None

    @staticmethod
    def resolve_shift_title(obj: Signup) -> str:
        return obj.shift.title

    @staticmethod
    def resolve_starts_at(obj: Signup) -> datetime:
        return obj.shift.starts_at

    @staticmethod
    def resolve_ends_at(obj: Signup) -> datetime:
        return obj.shift.ends_at

    @staticmethod
    def resolve_station_name(obj: Signup) -> str | None:
        return obj.shift.station.name if obj.shift.station else None

    @staticmethod
    def resolve_volunteer_number(obj: Signup) -> str:
        return obj.volunteer.number

    @staticmethod
    def resolve_volunteer_name(obj: Signup) -> str:
        return obj.volunteer.user.display_name

    @staticmethod
    def resolve_status_label(obj: Signup) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_position(obj: Signup) -> int | None:
        return getattr(obj, "position", None) if obj.status == Signup.Status.WAITLISTED else None

    @staticmethod
    def resolve_assigned(obj: Signup) -> bool:
        return obj.assigned_by_id is not None


class AssignIn(Strict):
    volunteer: str = Field(max_length=20, description="志愿者编号")


class SwapIn(Strict):
    to_volunteer: str = Field(max_length=20, description="接替者的志愿者编号")
    reason: str = Field("", max_length=200)


class SwapOut(Schema):
    id: int
    signup_id: int
    shift_id: int
    from_number: str
    from_name: str
    to_number: str
    to_name: str
    status: str
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_shift_id(obj: SwapRequest) -> int:
        return obj.signup.shift_id

    @staticmethod
    def resolve_from_number(obj: SwapRequest) -> str:
        return obj.signup.volunteer.number

    @staticmethod
    def resolve_from_name(obj: SwapRequest) -> str:
        return obj.signup.volunteer.user.display_name

    @staticmethod
    def resolve_to_number(obj: SwapRequest) -> str:
        return obj.to_volunteer.number

    @staticmethod
    def resolve_to_name(obj: SwapRequest) -> str:
        return obj.to_volunteer.user.display_name


class SwapDecisionIn(Strict):
    approve: bool
    reason: str = Field("", max_length=200, description="不同意时必填")


class RecurringIn(Strict):
    organization_id: int
    station_id: int | None = None
    title: str = Field(max_length=100)
    weekdays: list[int] = Field(description="1=周一 … 7=周日")
    start_time: time
    end_time: time
    valid_from: date
    valid_until: date
    capacity: int


class RecurringOut(Schema):
    id: int
    organization_id: int
    station_id: int | None
    title: str
    weekdays: list[int]
    start_time: time
    end_time: time
    valid_from: date
    valid_until: date
    capacity: int


class GenerateIn(Strict):
    skip_holidays: bool = Field(True, description="跳过法定节假日")


class GenerateOut(Schema):
    created: int
    shift_ids: list[int]


class ShiftCancelIn(Strict):
    reason: str = Field(min_length=1, max_length=200, description="取消原因，报名的志愿者会收到")


class ShiftCancelOut(Schema):
    shift: ShiftDetailOut
    told: int = Field(description="收到通知的报名志愿者人数（已报名和候补）")
