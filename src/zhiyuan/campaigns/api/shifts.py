"""/api/v1/shifts, /signups, /swaps, /recurring-shifts, /me/shifts — thin: selectors read, services write.

Shifts are found through the caller's sight (404 outside it). Rule refusals (full cut-off, a clash, missing
training, a minor on an adults' shift) are 409 with the reason; a missing permission on something visible
is 403; bad input is 422, every field at once.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.api.shift_schemas import (
    AssignIn,
    GenerateIn,
    GenerateOut,
    RecurringIn,
    RecurringOut,
    ShiftCancelIn,
    ShiftCancelOut,
    ShiftDetailOut,
    ShiftIn,
    ShiftOut,
    ShiftPatch,
    SignupOut,
    SwapDecisionIn,
    SwapIn,
    SwapOut,
)
from zhiyuan.campaigns.models import RecurringShift, Shift, Signup
from zhiyuan.campaigns.selectors import shifts as selectors
from zhiyuan.campaigns.services import recurring_shifts as recurring_services
from zhiyuan.campaigns.services import shifts as services
from zhiyuan.campaigns.services.recurring_shifts import SHANGHAI
from zhiyuan.campaigns.services.shift_cancel import shift_cancel
from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.errors import Refused
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Skill, TrainingCourse, Volunteer
from zhiyuan.people.selectors.training import course_list
from zhiyuan.people.selectors.volunteers import volunteer_list

router = Router(tags=["shifts"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


# --- references in a body ---------------------------------------------------------------------------------


def _beijing(value: datetime) -> datetime:
    return value.replace(tzinfo=SHANGHAI) if timezone.is_naive(value) else value


def _references(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Body fields → service arguments: ids become the objects the caller may name (others: 422)."""
    errors: dict[str, str] = {}
    if "organization_id" in data:
        pk = data.pop("organization_id")
        data["organization"] = access.organizations(user, Perm.ORG_VIEW).filter(pk=pk).first()
        if pk is not None and data["organization"] is None:
            errors["organization_id"] = _("所选组织不存在。")
    if "station_id" in data:
        pk = data.pop("station_id")
        data["station"] = selectors.station_choices(user=user).filter(pk=pk).first() if pk else None
        if pk and data["station"] is None:
            errors["station_id"] = _("所选站点不存在。")
    if data.get("required_skills") is not None:
        codes = data["required_skills"]
        data["required_skills"] = list(Skill.objects.filter(code__in=codes))
        if unknown := set(codes) - {s.code for s in data["required_skills"]}:
            errors["required_skills"] = _("未知技能代码：%(codes)s") % {"codes": "、".join(sorted(unknown))}
    if "required_course_ids" in data:
        ids = data.pop("required_course_ids")
        if ids is not None:
            found: list[TrainingCourse] = list(course_list(user=user).filter(pk__in=ids))
            data["required_courses"] = found
            if set(ids) - {c.pk for c in found}:
                errors["required_course_ids"] = _("所选培训不存在。")
    for field in ("starts_at", "ends_at"):
        if data.get(field) is not None:
            data[field] = _beijing(data[field])
    if errors:
        raise ValidationError(errors)
    return data


def _own_volunteer(user: Any) -> Volunteer:
    volunteer = Volunteer.objects.filter(user_id=user.pk).select_related("user").first()
    if volunteer is None:
        raise Refused(_("请先注册成为志愿者。"))
    return volunteer


def _signup_out(user: Any, signup: Signup) -> Signup:
    return selectors.signup_get(user=user, pk=signup.pk)


# --- shifts -----------------------------------------------------------------------------------------------


class ShiftFilters(Schema):
    station: int | None = None
    organization: int | None = Field(None, description="含下级组织")
    from_: date | None = Field(None, alias="from", description="北京时间日期，含当日")
    to: date | None = Field(None, description="北京时间日期，含当日")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


@router.get("/shifts", response=list[ShiftOut])
@paginate(Paginated)
def list_shifts(request: AuthedRequest, filters: Query[ShiftFilters]) -> Any:
    """Shifts the caller may see, in time order, each with the caller's own status."""
    organization: Organization | None = None
    if filters.organization is not None:
        choices = selectors.calendar_organizations(user=request.auth)
        organization = choices.filter(pk=filters.organization).first()
        if organization is None:
            return Shift.objects.none()
    return selectors.shift_list(
        user=request.auth,
        station=filters.station,
        organization=organization,
        start=_day_start(filters.from_) if filters.from_ else None,
        end=_day_start(filters.to + timedelta(days=1)) if filters.to else None,
    )


@router.post("/shifts", response={201: ShiftDetailOut, **WRITE_ERRORS})
def create_shift(request: AuthedRequest, payload: ShiftIn) -> Any:
    shift = services.shift_create(by=request.auth, **_references(request.auth, payload.dict()))
    return Status(201, selectors.shift_get(user=request.auth, pk=shift.pk))


@router.get("/shifts/{shift_id}", response={200: ShiftDetailOut, 404: Error})
def get_shift(request: AuthedRequest, shift_id: int) -> Any:
    return selectors.shift_get(user=request.auth, pk=shift_id)


@router.patch("/shifts/{shift_id}", response={200: ShiftDetailOut, **WRITE_ERRORS})
def update_shift(request: AuthedRequest, shift_id: int, payload: ShiftPatch) -> Any:
    shift = selectors.shift_get(user=request.auth, pk=shift_id)
    changes = payload.dict(exclude_unset=True)
    empty = sorted(f for f, v in changes.items() if v is None and f not in {"station_id"})
    if empty:
        raise ValidationError({f: _("此项不能为空。") for f in empty})
    services.shift_update(by=request.auth, shift=shift, **_references(request.auth, changes))
    return Status(200, selectors.shift_get(user=request.auth, pk=shift_id))


@router.post("/shifts/{shift_id}/cancel", response={200: ShiftCancelOut, **WRITE_ERRORS})
def cancel_shift(request: AuthedRequest, shift_id: int, payload: ShiftCancelIn) -> Any:
    """Cancel a shift that has not started: every sign-up is given back and its volunteer told why."""
    shift = selectors.shift_get(user=request.auth, pk=shift_id)
    given_back = shift_cancel(by=request.auth, shift=shift, reason=payload.reason)
    return {"shift": selectors.shift_get(user=request.auth, pk=shift_id), "told": len(given_back)}


# --- sign-ups ---------------------------------------------------------------------------------------------


def _require_roster(user: Any, shift: Shift) -> None:
    if not access.can(user, selectors.ROSTER_PERM, shift.organization):
        raise access.PermissionDenied(_("您没有查看报名名单的权限。"))


@router.get("/shifts/{shift_id}/signups", response={200: list[SignupOut], 403: Error, 404: Error})
@paginate(Paginated)
def list_signups(request: AuthedRequest, shift_id: int) -> Any:
    """The roster: accepted first, then the waiting list in order, each with its place."""
    shift = selectors.shift_get(user=request.auth, pk=shift_id)
    _require_roster(request.auth, shift)
    return selectors.signup_list(user=request.auth, shift=shift)


@router.post("/shifts/{shift_id}/signups", response={201: SignupOut, **WRITE_ERRORS})
def sign_up(request: AuthedRequest, shift_id: int) -> Any:
    """The caller signs up as themself: a place, or the waiting list when the shift is full."""
    shift = selectors.shift_get(user=request.auth, pk=shift_id)
    volunteer = _own_volunteer(request.auth)
    signup = services.signup_create(by=request.auth, shift=shift, volunteer=volunteer)
    return Status(201, _signup_out(request.auth, signup))


@router.post("/shifts/{shift_id}/signups/assign", response={201: SignupOut, **WRITE_ERRORS})
def assign(request: AuthedRequest, shift_id: int, payload: AssignIn) -> Any:
    """A leader puts a volunteer they can see on the shift, by volunteer number."""
    shift = selectors.shift_get(user=request.auth, pk=shift_id)
    access.require(request.auth, selectors.ASSIGN_PERM, shift.organization)
    volunteer = volunteer_list(user=request.auth).filter(number=payload.volunteer).first()
    if volunteer is None:
        raise ValidationError({"volunteer": _("未找到该编号的志愿者。")})
    signup = services.signup_create(by=request.auth, shift=shift, volunteer=volunteer)
    return Status(201, _signup_out(request.auth, signup))


@router.delete("/signups/{signup_id}", response={200: SignupOut, **WRITE_ERRORS})
def cancel_signup(request: AuthedRequest, signup_id: int) -> Any:
    """Cancel: the first on the waiting list who may take the place gets it."""
    signup = selectors.signup_get(user=request.auth, pk=signup_id)
    services.signup_cancel(by=request.auth, signup=signup)
    return Status(200, selectors.signup_get(user=request.auth, pk=signup_id))


# --- swaps ------------------------------------------------------------------------------------------------


@router.post("/signups/{signup_id}/swaps", response={201: SwapOut, **WRITE_ERRORS})
def request_swap(request: AuthedRequest, signup_id: int, payload: SwapIn) -> Any:
    """Hand one's place to another volunteer of the team; a leader approves."""
    signup = selectors.signup_get(user=request.auth, pk=signup_id)
    to = Volunteer.objects.filter(number=payload.to_volunteer).select_related("user").first()
    if to is None or to.status == Volunteer.Status.ANONYMISED:
        raise ValidationError({"to_volunteer": _("未找到该志愿者，或其不在本班次所属队伍。")})
    swap = services.swap_request_create(
        by=request.auth, signup=signup, to_volunteer=to, reason=payload.reason
    )
    return Status(201, selectors.swap_get(user=request.auth, pk=swap.pk))


@router.get("/shifts/{shift_id}/swaps", response={200: list[SwapOut], 403: Error, 404: Error})
@paginate(Paginated)
def list_swaps(request: AuthedRequest, shift_id: int) -> Any:
    """Pending swap requests of a shift, for its leaders."""
    shift = selectors.shift_get(user=request.auth, pk=shift_id)
    _require_roster(request.auth, shift)
    return selectors.swap_list(shift=shift)


@router.post("/swaps/{swap_id}/decide", response={200: SwapOut, **WRITE_ERRORS})
def decide_swap(request: AuthedRequest, swap_id: int, payload: SwapDecisionIn) -> Any:
    swap = selectors.swap_get(user=request.auth, pk=swap_id)
    services.swap_decide(by=request.auth, swap=swap, **payload.dict())
    return Status(200, selectors.swap_get(user=request.auth, pk=swap_id))


# --- recurring shifts and my shifts -----------------------------------------------------------------------


@router.get("/recurring-shifts", response=list[RecurringOut])
@paginate(Paginated)
def list_recurring(request: AuthedRequest) -> Any:
    return selectors.recurring_list(user=request.auth)


@router.post("/recurring-shifts", response={201: RecurringOut, **WRITE_ERRORS})
def create_recurring(request: AuthedRequest, payload: RecurringIn) -> Any:
    """A weekly pattern; POST …/generate creates its shifts."""
    data = _references(request.auth, payload.dict())
    recurring = recurring_services.recurring_create(by=request.auth, **data)
    return Status(201, recurring)


@router.post("/recurring-shifts/{recurring_id}/generate", response={200: GenerateOut, **WRITE_ERRORS})
def generate(request: AuthedRequest, recurring_id: int, payload: GenerateIn) -> Any:
    """Creates the missing shifts of the period; running it again creates nothing new."""
    recurring: RecurringShift = selectors.recurring_get(user=request.auth, pk=recurring_id)
    made = recurring_services.recurring_generate(
        by=request.auth, recurring=recurring, skip_holidays=payload.skip_holidays
    )
    return Status(200, {"created": len(made), "shift_ids": [s.pk for s in made]})


class MineFilters(Schema):
    past: bool = Field(False, description="true：已结束的班次")


@router.get("/me/shifts", response=list[SignupOut])
@paginate(Paginated)
def my_shifts(request: AuthedRequest, filters: Query[MineFilters]) -> Any:
    """The caller's accepted and waitlisted shifts, with their place on each waiting list."""
    return selectors.my_shifts(user=request.auth, past=filters.past)
