"""/api/v1/stations/{id}/incidents, /incidents/…, /emergency/… — incidents tracked to resolution and contingency
plans activated for a station. Thin: selectors read (outside the caller's scope is 404), services write."""

import datetime as dt
from typing import Any

from django.http import HttpResponseBase
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from zhiyuan.campaigns.models import Activation, ActivationResponse, Incident
from zhiyuan.campaigns.selectors import stations as selectors
from zhiyuan.campaigns.services import emergency as services
from zhiyuan.core import images
from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.people.schemas import Strict

router = Router(tags=["emergency"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class IncidentOut(Schema):
    id: int
    station_id: int
    station_name: str
    kind: str
    severity: str
    severity_label: str
    description: str
    photo_url: str | None
    reported_by: str
    status: str = Field(description="open 待处理 / escalated 已上报 / resolved 已解决")
    status_label: str
    resolution: str
    resolved_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_station_name(obj: Incident) -> str:
        return obj.station.name

    @staticmethod
    def resolve_severity_label(obj: Incident) -> str:
        return str(obj.get_severity_display())

    @staticmethod
    def resolve_status_label(obj: Incident) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_photo_url(obj: Incident) -> str | None:
        return f"/api/v1/incidents/{obj.pk}/photo" if obj.photo else None

    @staticmethod
    def resolve_reported_by(obj: Incident) -> str:
        return obj.reported_by.display_name


class IncidentFilters(Schema):
    status: str = Field("", description="open（未解决）, escalated, resolved; empty for all")


@router.get("/stations/{station_id}/incidents", response=list[IncidentOut])
@paginate(Paginated)
def list_incidents(request: AuthedRequest, station_id: int, filters: Query[IncidentFilters]) -> Any:
    station = selectors.station_get(user=request.auth, pk=station_id)
    return selectors.incident_list(user=request.auth, station=station, status=filters.status)


class IncidentIn(Strict):
    kind: str = Field(max_length=50, description="例如 旅客受伤、人员走失、纠纷")
    severity: str = Field(Incident.Severity.LOW, description="low 一般 / medium 较重 / high 严重")
    description: str = Field(max_length=2000)


@router.post("/stations/{station_id}/incidents", response={201: IncidentOut, **WRITE_ERRORS})
def report_incident(
    request: AuthedRequest,
    station_id: int,
    payload: Form[IncidentIn],
    photo: File[UploadedFile | None] = None,
) -> Any:
    """multipart/form-data: `kind`, `severity`, `description` and an optional `photo` (JPEG/PNG/WebP ≤ 10 MB;
    stored re-encoded, without EXIF)."""
    station = selectors.station_get(user=request.auth, pk=station_id)
    incident = services.incident_report(by=request.auth, station=station, photo=photo, **payload.dict())
    return Status(201, selectors.incident_get(user=request.auth, pk=incident.pk))


@router.get("/incidents/{incident_id}", response={200: IncidentOut, 404: Error})
def get_incident(request: AuthedRequest, incident_id: int) -> Any:
    return selectors.incident_get(user=request.auth, pk=incident_id)


@router.get("/incidents/{incident_id}/photo", response={404: Error})
def get_incident_photo(request: AuthedRequest, incident_id: int, thumb: bool = False) -> HttpResponseBase:
    return images.serve(selectors.incident_get(user=request.auth, pk=incident_id).photo, thumb)


@router.post("/incidents/{incident_id}/escalate", response={200: IncidentOut, **WRITE_ERRORS})
def escalate_incident(request: AuthedRequest, incident_id: int) -> Any:
    """上报: the responsible office's managers are notified."""
    incident = selectors.incident_get(user=request.auth, pk=incident_id)
    services.incident_escalate(by=request.auth, incident=incident)
    return Status(200, selectors.incident_get(user=request.auth, pk=incident_id))


class ResolveIn(Strict):
    resolution: str = Field(max_length=2000)


@router.post("/incidents/{incident_id}/resolve", response={200: IncidentOut, **WRITE_ERRORS})
def resolve_incident(request: AuthedRequest, incident_id: int, payload: ResolveIn) -> Any:
    incident = selectors.incident_get(user=request.auth, pk=incident_id)
    services.incident_resolve(by=request.auth, incident=incident, **payload.dict())
    return Status(200, selectors.incident_get(user=request.auth, pk=incident_id))


class ResponseOut(Schema):
    user_id: int
    name: str
    notified_at: dt.datetime
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_name(obj: ActivationResponse) -> str:
        return obj.user.display_name


class ActivationOut(Schema):
    id: int
    plan_id: int
    station_id: int
    station_name: str
    team_name: str
    trigger: str
    reason: str
    activated_by: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    closing_note: str
    notified_count: int
    confirmed_count: int
    responses: list[ResponseOut]


def _activation(user: Any, pk: int) -> dict[str, Any]:
    a: Activation = selectors.activation_get(user=user, pk=pk)
    pairing = a.plan.pairing
    return {
        "id": a.pk,
        "plan_id": a.plan_id,
        "station_id": pairing.station_id,
        "station_name": pairing.station.name,
        "team_name": pairing.team.name,
        "trigger": a.plan.trigger,
        "reason": a.reason,
        "activated_by": a.activated_by.display_name,
        "created_at": a.created_at,
        "closed_at": a.closed_at,
        "closing_note": a.closing_note,
        "notified_count": a.notified_count,  # type: ignore[attr-defined]
        "confirmed_count": a.confirmed_count,  # type: ignore[attr-defined]
        "responses": list(selectors.responses(a)),
    }


class ActivateIn(Strict):
    reason: str = Field(max_length=200, description="例如 大雪，京广线列车大面积晚点")


@router.post("/emergency/plans/{plan_id}/activate", response={201: ActivationOut, **WRITE_ERRORS})
def activate_plan(request: AuthedRequest, plan_id: int, payload: ActivateIn) -> Any:
    """Everyone in the paired 应急志愿服务队 (and the squads below it) is notified and asked to confirm.
    A plan runs once at a time: activating it again before closing is 409."""
    plan = selectors.plan_get(user=request.auth, pk=plan_id)
    activation = services.activation_start(by=request.auth, plan=plan, **payload.dict())
    return Status(201, _activation(request.auth, activation.pk))


@router.get("/emergency/activations/{activation_id}", response={200: ActivationOut, 404: Error})
def get_activation(request: AuthedRequest, activation_id: int) -> Any:
    return _activation(request.auth, activation_id)


@router.post("/emergency/activations/{activation_id}/confirm", response={200: ActivationOut, **WRITE_ERRORS})
def confirm_activation(request: AuthedRequest, activation_id: int) -> Any:
    """The caller confirms they were reached (only those notified may)."""
    activation = selectors.activation_get(user=request.auth, pk=activation_id)
    services.activation_confirm(by=request.auth, activation=activation)
    return Status(200, _activation(request.auth, activation_id))


class CloseIn(Strict):
    note: str = Field(max_length=5000)


@router.post("/emergency/activations/{activation_id}/close", response={200: ActivationOut, **WRITE_ERRORS})
def close_activation(request: AuthedRequest, activation_id: int, payload: CloseIn) -> Any:
    activation = selectors.activation_get(user=request.auth, pk=activation_id)
    services.activation_close(by=request.auth, activation=activation, **payload.dict())
    return Status(200, _activation(request.auth, activation_id))
