"""/api/v1/training/…, /me/training — thin: selectors read (outside the scope is 404), services write."""

import datetime as dt
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations import selectors as org_selectors
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import (
    TrainingAttendance,
    TrainingCompletion,
    TrainingCourse,
    TrainingMaterial,
    Volunteer,
)
from zhiyuan.people.selectors import training as selectors
from zhiyuan.people.services import training as services

router = Router(tags=["training"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class OrganizationRef(Schema):
    id: int
    name: str


class CourseOut(Schema):
    id: int
    name: str
    content: str
    hours: float
    organizer_id: int
    organizer_name: str
    date: dt.date
    required_for: list[OrganizationRef]
    session_count: int | None = None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_organizer_name(obj: TrainingCourse) -> str:
        return obj.organizer.name

    @staticmethod
    def resolve_required_for(obj: TrainingCourse) -> list[dict[str, Any]]:
        return [{"id": o.pk, "name": o.name} for o in obj.required_for.all()]

    @staticmethod
    def resolve_session_count(obj: TrainingCourse) -> int | None:
        return getattr(obj, "session_count", None)


class MaterialOut(Schema):
    id: int
    title: str
    kind: str
    url: str

    @staticmethod
    def resolve_kind(obj: TrainingMaterial) -> str:
        return PurePath(obj.file.name or "").suffix.lstrip(".") if obj.file else "link"

    @staticmethod
    def resolve_url(obj: TrainingMaterial) -> str:
        return f"/api/v1/training/materials/{obj.pk}/file" if obj.file else obj.url


class CourseDetailOut(CourseOut):
    materials: list[MaterialOut]

    @staticmethod
    def resolve_materials(obj: TrainingCourse) -> list[TrainingMaterial]:
        return list(selectors.material_list(course=obj))


class CourseIn(Strict):
    name: str = Field(max_length=120)
    content: str
    hours: Decimal
    organizer_id: int
    date: dt.date
    required_for_ids: list[int] = []


class CoursePatch(Strict):
    name: str | None = Field(None, max_length=120)
    content: str | None = None
    hours: Decimal | None = None
    organizer_id: int | None = None
    date: dt.date | None = None
    required_for_ids: list[int] | None = None


class SessionOut(Schema):
    id: int
    course_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    capacity: int
    registered: int
    attended: int


class SessionIn(Strict):
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = Field(max_length=200)
    capacity: int


class TrainingAttendanceIn(Strict):
    attended: list[str] = Field(default_factory=list, description="出席的志愿者编号")
    absent: list[str] = Field(default_factory=list, description="缺席的志愿者编号")


class RegistrationOut(Schema):
    session_id: int
    volunteer_number: str
    status: str

    @staticmethod
    def resolve_volunteer_number(obj: TrainingAttendance) -> str:
        return obj.volunteer.number


class RequiredOut(Schema):
    id: int
    name: str
    hours: float
    organizer_name: str
    date: dt.date

    @staticmethod
    def resolve_organizer_name(obj: TrainingCourse) -> str:
        return obj.organizer.name


class CompletionOut(Schema):
    course_id: int
    course_name: str
    hours: float
    completed_on: dt.date

    @staticmethod
    def resolve_course_name(obj: TrainingCompletion) -> str:
        return obj.course.name

    @staticmethod
    def resolve_hours(obj: TrainingCompletion) -> float:
        return float(obj.course.hours)


class MyTrainingOut(Schema):
    required: list[RequiredOut]
    completed: list[CompletionOut]
    upcoming: list[SessionOut]


def _org(user: Any, field: str, pk: int | None) -> Organization:
    """An organisation named in a body; one outside the user's scope does not exist for them."""
    found = org_selectors.organization_list(user=user).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError({field: _("所选组织不存在。")})
    return found


def _orgs(user: Any, field: str, pks: list[int]) -> list[Organization]:
    return [_org(user, field, pk) for pk in dict.fromkeys(pks)]


def _own_volunteer(user: Any) -> Volunteer:
    volunteer = Volunteer.objects.filter(user=user).first()
    if volunteer is None:
        raise Http404(_("您还没有志愿者资料。"))
    return volunteer


class CourseFilters(Schema):
    search: str = ""


@router.get("/training/courses", response=list[CourseOut])
@paginate(Paginated)
def list_courses(request: AuthedRequest, filters: Query[CourseFilters]) -> Any:
    return selectors.course_list(user=request.auth, search=filters.search).prefetch_related("required_for")


@router.post("/training/courses", response={201: CourseDetailOut, **WRITE_ERRORS})
def create_course(request: AuthedRequest, payload: CourseIn) -> Any:
    user = request.auth
    data = payload.dict()
    course = services.course_create(
        by=user,
        organizer=_org(user, "organizer_id", data.pop("organizer_id")),
        required_for=_orgs(user, "required_for_ids", data.pop("required_for_ids")),
        **data,
    )
    return Status(201, _detail(user, course.pk))


def _detail(user: Any, course_id: int) -> TrainingCourse:
    return access.get_or_404(selectors.course_list(user=user).prefetch_related("required_for"), pk=course_id)


@router.get("/training/courses/{course_id}", response={200: CourseDetailOut, 404: Error})
def get_course(request: AuthedRequest, course_id: int) -> Any:
    return _detail(request.auth, course_id)


@router.patch("/training/courses/{course_id}", response={200: CourseDetailOut, **WRITE_ERRORS})
def update_course(request: AuthedRequest, course_id: int, payload: CoursePatch) -> Any:
    user = request.auth
    course = _detail(user, course_id)
    changes = payload.dict(exclude_unset=True)
    for required in ("name", "content", "hours", "date", "organizer_id"):
        if required in changes and changes[required] is None:
            raise ValidationError({required: _("此项不能为空。")})
    if "organizer_id" in changes:
        changes["organizer"] = _org(user, "organizer_id", changes.pop("organizer_id"))
    if "required_for_ids" in changes:
        changes["required_for"] = _orgs(user, "required_for_ids", changes.pop("required_for_ids") or [])
    services.course_update(by=user, course=course, **changes)
    return Status(200, _detail(user, course_id))


@router.get("/training/courses/{course_id}/sessions", response=list[SessionOut])
@paginate(Paginated)
def list_sessions(request: AuthedRequest, course_id: int) -> Any:
    return selectors.session_list(course=_detail(request.auth, course_id))


@router.post("/training/courses/{course_id}/sessions", response={201: SessionOut, **WRITE_ERRORS})
def create_session(request: AuthedRequest, course_id: int, payload: SessionIn) -> Any:
    course = _detail(request.auth, course_id)
    session = services.session_create(by=request.auth, course=course, **payload.dict())
    return Status(201, selectors.session_get(user=request.auth, pk=session.pk))


@router.post("/training/sessions/{session_id}/register", response={201: RegistrationOut, **WRITE_ERRORS})
def register_for_session(request: AuthedRequest, session_id: int) -> Any:
    """The signed-in volunteer takes a place; a full session is 409."""
    session = selectors.session_get(user=request.auth, pk=session_id)
    volunteer = _own_volunteer(request.auth)
    attendance = services.session_register(by=request.auth, session=session, volunteer=volunteer)
    attendance.volunteer = volunteer
    return Status(201, attendance)


@router.post("/training/sessions/{session_id}/attendance", response={200: SessionOut, **WRITE_ERRORS})
def mark_attendance(request: AuthedRequest, session_id: int, payload: TrainingAttendanceIn) -> Any:
    """Bulk attendance by volunteer number: `attended` complete the course, `absent` do not."""
    session = selectors.session_get(user=request.auth, pk=session_id)
    wanted = set(payload.attended) | set(payload.absent)
    ids = dict(
        TrainingAttendance.objects.filter(session=session, volunteer__number__in=wanted).values_list(
            "volunteer__number", "volunteer_id"
        )
    )
    errors: dict[str, list[str]] = {}
    for field, numbers in (("attended", payload.attended), ("absent", payload.absent)):
        unknown = [n for n in dict.fromkeys(numbers) if n not in ids]
        if unknown:
            errors[field] = [_("以下志愿者未报名本场培训：%(n)s") % {"n": "、".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    services.attendance_mark_bulk(
        by=request.auth,
        session=session,
        attended=[ids[n] for n in payload.attended],
        absent=[ids[n] for n in payload.absent],
    )
    return Status(200, selectors.session_get(user=request.auth, pk=session_id))


@router.get("/training/materials/{material_id}/file", response={200: None, 404: Error})
def download_material(request: AuthedRequest, material_id: int) -> Any:
    material = selectors.material_get(user=request.auth, pk=material_id)
    if not material.file:
        raise Http404(_("未找到。"))
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=selectors.material_filename(material)
    )


@router.get("/me/training", response={200: MyTrainingOut, 404: Error})
def my_training(request: AuthedRequest) -> Any:
    """Training still required of me, what I completed, and the next sessions I can register for."""
    return selectors.my_training(_own_volunteer(request.auth))
