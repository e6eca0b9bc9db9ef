"""/api/v1/recruitments, /applications, /me/applications — thin: selectors read, services write.

Notices and their applications are found through the caller's scope (404 outside it); a volunteer applies
to any published notice. Rule refusals (full, past the deadline, already decided) are 409.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.errors import Refused
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Application, Recruitment, Skill
from zhiyuan.people.schemas import Strict
from zhiyuan.people.selectors import recruitment as selectors
from zhiyuan.people.services import recruitment as services

router = Router(tags=["recruitment"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}
REQUIRED = {"title", "team", "organization", "content", "starts_on", "ends_on", "location", "wanted"}
REQUIRED |= {"risks", "insurance", "deadline", "minimum_age"}


class RecruitmentIn(Strict):
    title: str = Field(max_length=120)
    team_id: int = Field(description="录用后加入的志愿服务队、中队或支队")
    organization_id: int | None = Field(None, description="发布单位；不填即为 team_id")
    hours_recorder_id: int | None = Field(None, description="服务记录及证明单位；不填即为发布单位")
    campaign: str = Field("", max_length=120)
    programme: str = Field("", max_length=120)
    content: str = Field(max_length=5000)
    recipients: str = Field("", max_length=200)
    starts_on: date
    ends_on: date
    time_slots: str = Field("", max_length=200)
    location: str = Field(max_length=200)
    wanted: int
    requirements: str = Field("", max_length=5000)
    skills: list[str] = Field([], description="技能代码，如 medical、legal")
    minimum_age: int = 0
    risks: str = Field(max_length=5000, description="《志愿服务条例》第十二条")
    training_offered: str = Field("", max_length=5000)
    insurance: str = Field(max_length=200, description="《志愿服务条例》第十七条")
    deadline: datetime = Field(description="报名截止；不带时区时按北京时间")


class RecruitmentPatch(Strict):
    title: str | None = Field(None, max_length=120)
    team_id: int | None = None
    organization_id: int | None = None
    hours_recorder_id: int | None = None
    campaign: str | None = Field(None, max_length=120)
    programme: str | None = Field(None, max_length=120)
    content: str | None = Field(None, max_length=5000)
    recipients: str | None = Field(None, max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None
    time_slots: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=200)
    wanted: int | None = None
    requirements: str | None = Field(None, max_length=5000)
    skills: list[str] | None = None
    minimum_age: int | None = None
    risks: str | None = Field(None, max_length=5000)
    training_offered: str | None = Field(None, max_length=5000)
    insurance: str | None = Field(None, max_length=200)
    deadline: datetime | None = None


class RecruitmentOut(Schema):
    id: int
    title: str
    status: str
    state: str = Field(
        description="open 招募中 / full 已满 / expired 已截止 / closed 已结束 / draft / cancelled"
    )
    state_label: str
    is_open: bool
    organization_id: int
    organization_name: str
    team_id: int
    team_name: str
    campaign: str
    programme: str
    content: str
    recipients: str
    starts_on: date
    ends_on: date
    time_slots: str
    location: str
    wanted: int
    approved_count: int
    places_left: int
    pending_count: int | None = None
    requirements: str
    skills: list[str]
    minimum_age: int
    risks: str
    training_offered: str
    insurance: str
    hours_recorder_id: int
    hours_recorder_name: str
    deadline: datetime
    published_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_state_label(obj: Recruitment) -> str:
        return str(selectors.STATE_LABELS.get(obj.state, ""))  # type: ignore[attr-defined]

    @staticmethod
    def resolve_organization_name(obj: Recruitment) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_team_name(obj: Recruitment) -> str:
        return obj.team.name

    @staticmethod
    def resolve_hours_recorder_name(obj: Recruitment) -> str:
        return obj.hours_recorder.name

    @staticmethod
    def resolve_pending_count(obj: Recruitment) -> int | None:
        return getattr(obj, "pending_count", None)

    @staticmethod
    def resolve_skills(obj: Recruitment) -> list[str]:
        return [s.code for s in obj.skills.all()]


class ApplicationOut(Schema):
    id: int
    recruitment_id: int
    recruitment_title: str
    volunteer_number: str
    volunteer_name: str
    status: str
    status_label: str
    motivation: str
    reason: str
    decided_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_recruitment_title(obj: Application) -> str:
        return obj.recruitment.title

    @staticmethod
    def resolve_volunteer_number(obj: Application) -> str:
        return obj.volunteer.number

    @staticmethod
    def resolve_volunteer_name(obj: Application) -> str:
        return obj.volunteer.user.display_name

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return str(obj.get_status_display())


class ApplyIn(Strict):
    motivation: str = Field("", max_length=500)


class ApplicationDecisionIn(Strict):
    approve: bool
    reason: str = Field("", max_length=200, description="不录用时必填")


def _org_ref(user: Any, field: str, pk: int | None) -> Organization | None:
    """An organisation named in a body; one outside the caller's scope does not exist for them."""
    if pk is None:
        return None
    found = access.organizations(user, Perm.ORG_VIEW).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("所选组织不存在。")})
    return found


def _skills(codes: list[str]) -> list[Skill]:
    found = list(Skill.objects.filter(code__in=codes))
    unknown = set(codes) - {s.code for s in found}
    if unknown:
        raise ValidationError(
            {"skills": _("未知技能代码：%(codes)s") % {"codes": "、".join(sorted(unknown))}}
        )
    return found


def _beijing(value: datetime) -> datetime:
    # a deadline is a Beijing wall-clock time: "18:00" without an offset means 18:00 Asia/Shanghai
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _arguments(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Body fields → service arguments: ids become the objects the caller may name."""
    for name in ("team", "organization", "hours_recorder"):
        if f"{name}_id" in data:
            data[name] = _org_ref(user, f"{name}_id", data.pop(f"{name}_id"))
    if data.get("skills") is not None:
        data["skills"] = _skills(data["skills"])
    if data.get("deadline") is not None:
        data["deadline"] = _beijing(data["deadline"])
    return data


def _detail(user: Any, pk: int) -> Recruitment:
    return selectors.recruitment_get(user=user, pk=pk)


class RecruitmentFilters(Schema):
    status: str = ""
    search: str = ""


@router.get("/recruitments", response=list[RecruitmentOut])
@paginate(Paginated)
def list_recruitments(request: AuthedRequest, filters: Query[RecruitmentFilters]) -> Any:
    """Notices of the organisations and teams in the caller's scope, drafts included."""
    return selectors.recruitment_list(user=request.auth, status=filters.status, search=filters.search)


class PublicFilters(Schema):
    state: str = Field("open", description="open 招募中；closed 已截止、已满或已结束")
    search: str = ""


@router.get("/recruitments/public", auth=None, response=list[RecruitmentOut])
@paginate(Paginated)
def list_public_recruitments(request: HttpRequest, filters: Query[PublicFilters]) -> Any:
    """What /recruit/ shows, without signing in."""
    return selectors.recruitment_public_list(state=filters.state, search=filters.search)


@router.post("/recruitments", response={201: RecruitmentOut, **WRITE_ERRORS})
def create_recruitment(request: AuthedRequest, payload: RecruitmentIn) -> Any:
    """A draft; publish it with POST /recruitments/{id}/publish."""
    r = services.recruitment_create(by=request.auth, **_arguments(request.auth, payload.dict()))
    return Status(201, _detail(request.auth, r.pk))


@router.get("/recruitments/{recruitment_id}", response={200: RecruitmentOut, 404: Error})
def get_recruitment(request: AuthedRequest, recruitment_id: int) -> Any:
    return _detail(request.auth, recruitment_id)


@router.patch("/recruitments/{recruitment_id}", response={200: RecruitmentOut, **WRITE_ERRORS})
def update_recruitment(request: AuthedRequest, recruitment_id: int, payload: RecruitmentPatch) -> Any:
    r = _detail(request.auth, recruitment_id)
    changes = payload.dict(exclude_unset=True)
    empty = sorted(f for f in changes if changes[f] is None and f.removesuffix("_id") in REQUIRED)
    if empty:
        raise ValidationError({f: _("此项不能为空。") for f in empty})
    if changes.get("hours_recorder_id", 0) is None:
        changes["hours_recorder_id"] = changes.get("organization_id") or r.organization_id
    services.recruitment_update(by=request.auth, recruitment=r, **_arguments(request.auth, changes))
    return Status(200, _detail(request.auth, recruitment_id))


def _transition(request: AuthedRequest, recruitment_id: int, service: Any) -> Any:
    service(by=request.auth, recruitment=_detail(request.auth, recruitment_id))
    return Status(200, _detail(request.auth, recruitment_id))


@router.post("/recruitments/{recruitment_id}/publish", response={200: RecruitmentOut, **WRITE_ERRORS})
def publish_recruitment(request: AuthedRequest, recruitment_id: int) -> Any:
    return _transition(request, recruitment_id, services.recruitment_publish)


@router.post("/recruitments/{recruitment_id}/close", response={200: RecruitmentOut, **WRITE_ERRORS})
def close_recruitment(request: AuthedRequest, recruitment_id: int) -> Any:
    return _transition(request, recruitment_id, services.recruitment_close)


@router.post("/recruitments/{recruitment_id}/cancel", response={200: RecruitmentOut, **WRITE_ERRORS})
def cancel_recruitment(request: AuthedRequest, recruitment_id: int) -> Any:
    """Pending applications are rejected with the reason 招募已取消."""
    return _transition(request, recruitment_id, services.recruitment_cancel)


class ApplicationFilters(Schema):
    status: str = ""


@router.get("/recruitments/{recruitment_id}/applications", response=list[ApplicationOut])
@paginate(Paginated)
def list_applications(request: AuthedRequest, recruitment_id: int, filters: Query[ApplicationFilters]) -> Any:
    """Pending first, then in the order they came in."""
    r = _detail(request.auth, recruitment_id)
    return selectors.application_list(user=request.auth, recruitment=r, status=filters.status)


@router.post("/recruitments/{recruitment_id}/apply", response={201: ApplicationOut, **WRITE_ERRORS})
def apply(request: AuthedRequest, recruitment_id: int, payload: ApplyIn) -> Any:
    """The caller applies as themself; applying again after withdrawing reopens the application."""
    r = selectors.recruitment_public_get(pk=recruitment_id)
    volunteer = selectors.my_volunteer(user=request.auth)
    if volunteer is None:
        raise Refused(_("请先注册成为志愿者。"))
    application = services.application_create(
        by=request.auth, recruitment=r, volunteer=volunteer, motivation=payload.motivation
    )
    return Status(201, selectors.my_application_get(user=request.auth, pk=application.pk))


@router.post("/applications/{application_id}/decide", response={200: ApplicationOut, **WRITE_ERRORS})
def decide(request: AuthedRequest, application_id: int, payload: ApplicationDecisionIn) -> Any:
    """录用 (approve: true) makes the volunteer a member of the team; 不录用 needs a reason."""
    application = selectors.application_get(user=request.auth, pk=application_id)
    services.application_decide(by=request.auth, application=application, **payload.dict())
    return Status(200, selectors.application_get(user=request.auth, pk=application_id))


@router.post("/applications/{application_id}/withdraw", response={200: ApplicationOut, **WRITE_ERRORS})
def withdraw(request: AuthedRequest, application_id: int) -> Any:
    application = selectors.my_application_get(user=request.auth, pk=application_id)
    services.application_withdraw(by=request.auth, application=application)
    return Status(200, selectors.my_application_get(user=request.auth, pk=application_id))


@router.get("/me/applications", response=list[ApplicationOut])
@paginate(Paginated)
def my_applications(request: AuthedRequest) -> Any:
    return selectors.my_applications(user=request.auth)
