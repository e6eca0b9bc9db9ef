"""/api/v1/me/hours, /me/self-reports, /self-reports, /compliance — thin: services decide."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.hours.models import LedgerEntry, SelfReport
from zhiyuan.hours.services.compliance import my_week, unit_compliance
from zhiyuan.hours.services.self_reports import (
    report_teams,
    self_report_create,
    self_report_decide,
    self_report_queue,
)
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

router = Router(tags=["hours"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class RecentHoursOut(Schema):
    id: int
    seq: int
    kind: str
    organization_id: int
    activity: str
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    source: str


class MyHoursOut(Schema):
    week: date
    hours: Decimal
    quota: Decimal
    remaining: Decimal
    streak: int
    total: Decimal
    stars: int
    next_star_hours: Decimal | None
    recent: list[RecentHoursOut]


class SelfReportIn(Strict):
    organization_id: int
    activity: str
    place: str = ""
    description: str
    starts_at: datetime
    ends_at: datetime


class SelfReportOut(Schema):
    id: int
    volunteer_number: str
    volunteer_name: str
    organization_id: int
    organization_name: str
    activity: str
    place: str
    description: str
    starts_at: datetime
    ends_at: datetime
    status: str
    reason: str
    ledger_entry_id: int | None
    has_photo: bool
    created_at: datetime

    @staticmethod
    def resolve_volunteer_number(obj: SelfReport) -> str:
        return obj.volunteer.number

    @staticmethod
    def resolve_volunteer_name(obj: SelfReport) -> str:
        return obj.volunteer.user.display_name

    @staticmethod
    def resolve_organization_name(obj: SelfReport) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_has_photo(obj: SelfReport) -> bool:
        return bool(obj.photo)


class SelfReportDecisionIn(Strict):
    approve: bool
    reason: str = ""


class ShortOut(Schema):
    id: int
    number: str
    name: str
    hours: Decimal
    missing: Decimal


class ComplianceOut(Schema):
    organization_id: int
    organization_name: str
    week: date
    quota: Decimal
    total: int
    met: int
    rate: float
    short: list[ShortOut]


class ComplianceFilters(Schema):
    organization: int
    week: date | None = None


class QueueFilters(Schema):
    status: str = SelfReport.Status.PENDING


def _me(request: AuthedRequest) -> Volunteer:
    volunteer = (
        Volunteer.objects.filter(user=request.auth).select_related("user", "home_organization").first()
    )
    if volunteer is None:
        raise Http404(_("您还没有志愿者资料。"))
    return volunteer


@router.get("/me/hours", response={200: MyHoursOut, 404: Error})
def my_hours(request: AuthedRequest) -> Any:
    volunteer = _me(request)
    week = my_week(volunteer)
    recent = list(LedgerEntry.objects.filter(volunteer=volunteer).order_by("-seq")[:10])
    return {**week.__dict__, "recent": recent}


@router.post("/me/self-reports", response={201: SelfReportOut, **WRITE_ERRORS})
def create_self_report(request: AuthedRequest, payload: SelfReportIn) -> Any:
    volunteer = _me(request)
    data = payload.dict()
    organization = report_teams(volunteer).filter(pk=data.pop("organization_id")).first()
    report = self_report_create(by=request.auth, volunteer=volunteer, organization=organization, **data)
    return Status(201, SelfReport.objects.select_related("volunteer__user", "organization").get(pk=report.pk))


@router.get("/self-reports", response=list[SelfReportOut])
@paginate(Paginated)
def list_self_reports(request: AuthedRequest, filters: Query[QueueFilters]) -> Any:
    return self_report_queue(user=request.auth, status=filters.status)


@router.post("/self-reports/{report_id}/decide", response={200: SelfReportOut, **WRITE_ERRORS})
def decide_self_report(request: AuthedRequest, report_id: int, payload: SelfReportDecisionIn) -> Any:
    report = access.get_or_404(
        SelfReport.objects.filter(access.scope(request.auth, Perm.HOURS_VIEW, via="organization")),
        pk=report_id,
    )
    self_report_decide(by=request.auth, report=report, approve=payload.approve, reason=payload.reason)
    return Status(200, SelfReport.objects.select_related("volunteer__user", "organization").get(pk=report.pk))


@router.get("/compliance", response={200: ComplianceOut, 403: Error, 404: Error, 422: ValidationErrors})
def compliance(request: AuthedRequest, filters: Query[ComplianceFilters]) -> Any:
    organization = access.get_or_404(
        access.organizations(request.auth, Perm.ORG_VIEW), pk=filters.organization
    )
    result = unit_compliance(
        user=request.auth, organization=organization, week=filters.week or timezone.localdate()
    )
    return {
        "organization_id": organization.pk,
        "organization_name": organization.name,
        "week": result.week,
        "quota": result.quota,
        "total": result.total,
        "met": result.met,
        "rate": result.rate,
        "short": result.short,
    }
