"""/api/v1/awards, /api/v1/evaluations (表彰奖励, 服务评价) and the volunteer's own /me/recognition."""

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.hours.models import Award, Evaluation
from zhiyuan.hours.services.recognition import (
    award_list,
    award_record,
    evaluation_list,
    evaluation_record,
    my_recognition,
)
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import Volunteer
from zhiyuan.people.selectors.volunteers import volunteer_list

router = Router(tags=["hours"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class AwardIn(Strict):
    volunteer_number: str = Field(max_length=20)
    name: str = Field(max_length=200, description="表彰奖励名称")
    date: dt.date
    granted_by: str = Field(max_length=200, description="授予单位")


class AwardOut(Schema):
    id: int
    volunteer_number: str
    volunteer_name: str
    name: str
    date: dt.date
    granted_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_volunteer_number(obj: Award) -> str:
        return obj.volunteer.number

    @staticmethod
    def resolve_volunteer_name(obj: Award) -> str:
        return obj.volunteer.user.display_name


class EvaluationIn(Strict):
    volunteer_number: str = Field(max_length=20)
    organization_id: int = Field(description="评价单位：您负责、且志愿者所属的组织")
    rating: int = Field(description="1 较差 · 2 一般 · 3 良好 · 4 优秀")
    date: dt.date
    note: str = Field("", max_length=200)


class EvaluationOut(Schema):
    id: int
    volunteer_number: str
    volunteer_name: str
    organization_id: int
    organization_name: str
    rating: int
    rating_label: str
    date: dt.date
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_volunteer_number(obj: Evaluation) -> str:
        return obj.volunteer.number

    @staticmethod
    def resolve_volunteer_name(obj: Evaluation) -> str:
        return obj.volunteer.user.display_name

    @staticmethod
    def resolve_organization_name(obj: Evaluation) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_rating_label(obj: Evaluation) -> str:
        return str(obj.get_rating_display())


class MyRecognitionOut(Schema):
    awards: list[AwardOut]
    evaluations: list[EvaluationOut]


class RecognitionFilters(Schema):
    volunteer: str = Field("", max_length=20, description="志愿者编号")


def _volunteer(request: AuthedRequest, number: str) -> Volunteer:
    """Visible to the caller or not found; whether they may record is the service's question (403)."""
    return access.get_or_404(volunteer_list(user=request.auth), number=number)


def _filtered(qs: Any, request: AuthedRequest, number: str) -> Any:
    return qs.filter(volunteer=_volunteer(request, number)) if number else qs


@router.get("/awards", response=list[AwardOut])
@paginate(Paginated)
def list_awards(request: AuthedRequest, filters: Query[RecognitionFilters]) -> Any:
    return _filtered(award_list(user=request.auth), request, filters.volunteer)


@router.post("/awards", response={201: AwardOut, **WRITE_ERRORS})
def create_award(request: AuthedRequest, payload: AwardIn) -> Any:
    data = payload.dict()
    volunteer = _volunteer(request, data.pop("volunteer_number"))
    award = award_record(by=request.auth, volunteer=volunteer, **data)
    return Status(201, Award.objects.select_related("volunteer__user").get(pk=award.pk))


@router.get("/evaluations", response=list[EvaluationOut])
@paginate(Paginated)
def list_evaluations(request: AuthedRequest, filters: Query[RecognitionFilters]) -> Any:
    return _filtered(evaluation_list(user=request.auth), request, filters.volunteer)


@router.post("/evaluations", response={201: EvaluationOut, **WRITE_ERRORS})
def create_evaluation(request: AuthedRequest, payload: EvaluationIn) -> Any:
    data = payload.dict()
    volunteer = _volunteer(request, data.pop("volunteer_number"))
    # an unknown organisation is a bad field, not a missing resource: the service says which
    organization = Organization.objects.filter(pk=data.pop("organization_id")).first()
    evaluation = evaluation_record(by=request.auth, volunteer=volunteer, organization=organization, **data)
    return Status(
        201, Evaluation.objects.select_related("volunteer__user", "organization").get(pk=evaluation.pk)
    )


@router.get("/me/recognition", response={200: MyRecognitionOut, 404: Error})
def my_own(request: AuthedRequest) -> Any:
    volunteer = Volunteer.objects.filter(user=request.auth).select_related("user").first()
    if volunteer is None:
        raise Http404(_("您还没有志愿者资料。"))
    awards, evaluations = my_recognition(volunteer)
    # the resolvers read the number and name: they are the caller's own, already at hand
    for award in awards:
        award.volunteer = volunteer
    for evaluation in evaluations:
        evaluation.volunteer = volunteer
    return {"awards": awards, "evaluations": evaluations}
