"""/api/v1/volunteers, /me, /register — thin: selectors read, services write."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiyuan.core import ratelimit
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.api_errors import ApiError
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations import selectors as org_selectors
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import ServiceCategory, Skill, Volunteer
from zhiyuan.people.schemas import (
    DeletionIn,
    EntryIn,
    MobileIn,
    ProfileIn,
    RegisterIn,
    RevealIn,
    RevealOut,
    VolunteerOut,
)
from zhiyuan.people.selectors import volunteers as selectors
from zhiyuan.people.services.data_rights import deletion_request_create, volunteer_data
from zhiyuan.people.services.phone import phone_code_send
from zhiyuan.people.services.volunteers import (
    volunteer_enter,
    volunteer_register,
    volunteer_reveal_id,
    volunteer_update,
)
from zhiyuan.people.views.volunteers import REGISTER_LIMITS

router = Router(tags=["volunteers"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


def _codes(model: Any, field: str, codes: list[str]) -> list[Any]:
    found = list(model.objects.filter(code__in=codes))
    unknown = set(codes) - {obj.code for obj in found}
    if unknown:
        raise ValidationError({field: _("未知代码：%(codes)s") % {"codes": "、".join(sorted(unknown))}})
    return found


def _office(pk: int | None) -> Organization | None:
    return Organization.objects.filter(pk=pk).first() if pk else None


def _identity_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    data["skills"] = _codes(Skill, "skills", data.pop("skills"))
    data["service_categories"] = _codes(ServiceCategory, "service_categories", data.pop("service_categories"))
    data["home_organization"] = _office(data.pop("home_organization_id"))
    return data


class VolunteerFilters(Schema):
    search: str = ""
    skill: str = ""
    team: int | None = None
    district: int | None = None


class VolunteerSearchIn(Strict):
    search: str = Field("", max_length=100, description="姓名、拼音、手机号、志愿者编号")
    skill: str = Field("", max_length=50)
    team: int | None = None
    district: int | None = None


@router.get("/volunteers", response={200: list[VolunteerOut], 422: ValidationErrors})
@paginate(Paginated)
def list_volunteers(request: AuthedRequest, filters: Query[VolunteerFilters]) -> Any:
    """By name or pinyin here; a search with digits (a mobile, an ID or volunteer number) goes by
    `POST /volunteers/search`, so the term stays out of URLs and access logs."""
    if any(ch.isdigit() for ch in filters.search):
        raise ValidationError(
            {"search": _("按手机号、证件号码或编号搜索请使用 POST /api/v1/volunteers/search。")}
        )
    return selectors.volunteer_list(user=request.auth, **filters.dict())


@router.post("/volunteers/search", response={200: list[VolunteerOut], 422: ValidationErrors})
@paginate(Paginated)
def search_volunteers(request: AuthedRequest, payload: VolunteerSearchIn) -> Any:
    """The same list as `GET /volunteers`, the search term in the body (limit/offset in the query)."""
    return selectors.volunteer_list(user=request.auth, **payload.dict())


@router.get("/volunteers/{number}", response={200: VolunteerOut, 404: Error})
def get_volunteer(request: AuthedRequest, number: str) -> Any:
    return selectors.volunteer_get(user=request.auth, number=number)


@router.post("/volunteers", response={201: VolunteerOut, **WRITE_ERRORS})
def enter_volunteer(request: AuthedRequest, payload: EntryIn) -> Any:
    data = _identity_kwargs(payload.dict())
    organization = (
        org_selectors.organization_list(user=request.auth).filter(pk=data.pop("organization_id")).first()
    )
    if organization is None:
        raise ValidationError({"organization_id": _("所选组织不存在。")})
    volunteer = volunteer_enter(by=request.auth, organization=organization, **data)
    return Status(201, selectors.volunteer_get(user=request.auth, number=volunteer.number))


@router.patch("/volunteers/{number}", response={200: VolunteerOut, **WRITE_ERRORS})
def update_volunteer(request: AuthedRequest, number: str, payload: ProfileIn) -> Any:
    volunteer = selectors.volunteer_get(user=request.auth, number=number)
    changes = payload.dict(exclude_unset=True)
    if "skills" in changes:
        changes["skills"] = _codes(Skill, "skills", changes["skills"] or [])
    if "service_categories" in changes:
        changes["service_categories"] = _codes(
            ServiceCategory, "service_categories", changes["service_categories"] or []
        )
    volunteer_update(by=request.auth, volunteer=volunteer, **changes)
    return Status(200, selectors.volunteer_get(user=request.auth, number=number))


@router.post("/volunteers/{number}/reveal", response={200: RevealOut, **WRITE_ERRORS})
def reveal_volunteer_id(request: AuthedRequest, number: str, payload: RevealIn) -> Any:
    """The full ID number; every call is recorded with who asked and why."""
    volunteer = selectors.volunteer_get(user=request.auth, number=number)
    return {
        "number": number,
        "id_number": volunteer_reveal_id(by=request.auth, volunteer=volunteer, reason=payload.reason),
    }


@router.get("/me", response={200: VolunteerOut, 404: Error})
def my_profile(request: AuthedRequest) -> Any:
    volunteer = (
        Volunteer.objects.filter(user=request.auth).select_related("user", "home_organization").first()
    )
    if volunteer is None:
        raise Http404(_("您还没有志愿者资料。"))
    return volunteer


@router.get("/me/data", response={200: dict, 404: Error})
def my_data(request: AuthedRequest) -> Any:
    """A copy of everything held about the signed-in volunteer (个人信息保护法 Art. 45)."""
    volunteer = (
        Volunteer.objects.filter(user=request.auth).select_related("user", "home_organization").first()
    )
    if volunteer is None:
        raise Http404(_("您还没有志愿者资料。"))
    return volunteer_data(volunteer=volunteer)


@router.post("/me/deletion-request", response={201: dict, 404: Error, 409: Error})
def request_my_deletion(request: AuthedRequest, payload: DeletionIn) -> Any:
    volunteer = Volunteer.objects.filter(user=request.auth).first()
    if volunteer is None:
        raise Http404(_("您还没有志愿者资料。"))
    made = deletion_request_create(volunteer=volunteer, reason=payload.reason)
    return Status(201, {"id": made.pk, "status": made.status})


@router.post("/register/code", auth=None, response={204: None, 409: Error, 422: ValidationErrors, 429: Error})
def send_registration_code(request: HttpRequest, payload: MobileIn) -> Any:
    limited = ratelimit.sms_refusal(request, mobile=payload.mobile)
    if limited:
        raise ApiError(429, limited)
    phone_code_send(mobile=payload.mobile)
    return Status(204, None)


@router.post(
    "/register", auth=None, response={201: VolunteerOut, 409: Error, 422: ValidationErrors, 429: Error}
)
def register(request: HttpRequest, payload: RegisterIn) -> Any:
    limited = ratelimit.form_refusal(request, scope="register", phone=payload.mobile, **REGISTER_LIMITS)
    if limited:
        raise ApiError(429, limited)
    volunteer = volunteer_register(**_identity_kwargs(payload.dict()))
    return Status(201, Volunteer.objects.select_related("user", "home_organization").get(pk=volunteer.pk))
