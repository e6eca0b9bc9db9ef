"""Emergency readiness (seed 000 §三(一)4): an 应急志愿服务队 paired one-to-one with a station, its 预案, and
activating it; and incidents reported from a station, escalated to the responsible office and resolved.

Who may do what:
- the station's responsible office (管理组织 there) pairs the team, writes the plan, activates and closes it,
  and resolves incidents;
- everyone called out by an activation confirms for themself;
- linked team leaders escalate incidents; anyone in a linked team reports them.

People are told through the hand-off table (campaigns.services.station_handoffs).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import (
    Activation,
    ActivationResponse,
    ContingencyPlan,
    EmergencyPairing,
    Incident,
    Station,
)
from zhiyuan.campaigns.selectors.stations import rights
from zhiyuan.campaigns.services import station_handoffs
from zhiyuan.core import access, audit, images
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import LED_KINDS, Membership, Organization
from zhiyuan.organizations.roles import Perm

Errors = dict[str, list[str]]
PLAN_FIELDS = ("trigger", "steps", "contacts", "supplies")
PLAN_LIMITS = {"trigger": 200, "steps": 5000, "contacts": 2000, "supplies": 2000}


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _require_manage(by: User, station: Station) -> None:
    if not rights(by, station).manage:
        raise access.PermissionDenied(_("只有站点所属文明办可以执行此操作。"))


def _text(value: Any, field: str, limit: int, errors: Errors, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        _add(errors, field, required)
    elif len(value) > limit:
        _add(errors, field, _("不能超过%(n)d个字。") % {"n": limit})
    return value


# --- pairing and plan --------------------------------------------------------------------------------------


@transaction.atomic
def pairing_set(*, by: User, station: Station, team: Organization | None) -> EmergencyPairing:
    """Pair the station with its 应急志愿服务队 (one team per station, one station per team)."""
    _require_manage(by, station)
    if team is None or not access.can(by, Perm.ORG_VIEW, team):
        raise ValidationError({"team": _("所选队伍不存在。") if team else _("请选择应急志愿服务队。")})
    if team.kind not in LED_KINDS:
        raise ValidationError({"team": _("请选择志愿服务支队、中队或服务队。")})
    taken = EmergencyPairing.objects.filter(team=team).exclude(station=station).select_related("station")
    if (other := taken.first()) is not None:
        raise Refused(
            _("“%(team)s”已与“%(station)s”结对。") % {"team": team.name, "station": other.station.name}
        )
    pairing = EmergencyPairing.objects.select_for_update().filter(station=station).first()
    if pairing is None:
        return EmergencyPairing.objects.create(station=station, team=team)
    if pairing.team_id != team.pk:
        if Activation.objects.filter(plan__pairing=pairing, closed_at__isnull=True).exists():
            raise Refused(_("预案正在启动中，结束后才能更换结对队伍。"))
        pairing.team = team
        pairing.save(update_fields=["team", "updated_at"])
    return pairing


def _plan_clean(values: dict[str, Any], errors: Errors) -> dict[str, str]:
    required = {"trigger": _("请填写启动条件，例如 恶劣天气导致交通中断。"), "steps": _("请填写处置步骤。")}
    unknown = set(values) - set(PLAN_FIELDS)
    for field in sorted(unknown):
        _add(errors, field, _("不能修改此字段。"))
    return {
        f: _text(v, f, PLAN_LIMITS[f], errors, str(required.get(f, "")))
        for f, v in values.items()
        if f in PLAN_FIELDS
    }


@transaction.atomic
def plan_create(
    *, by: User, station: Station, trigger: str, steps: str, contacts: str = "", supplies: str = ""
) -> ContingencyPlan:
    _require_manage(by, station)
    pairing = EmergencyPairing.objects.filter(station=station).first()
    if pairing is None:
        raise Refused(_("请先为站点结对应急志愿服务队。"))
    errors: Errors = {}
    values = {"trigger": trigger, "steps": steps, "contacts": contacts, "supplies": supplies}
    clean = _plan_clean(values, errors)
    if errors:
        raise ValidationError(errors)
    plan = ContingencyPlan(pairing=pairing, **clean)
    audit.attribute(plan, by)
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, by: User, plan: ContingencyPlan, **changes: Any) -> ContingencyPlan:
    _require_manage(by, plan.pairing.station)
    errors: Errors = {}
    clean = _plan_clean(changes, errors)
    if errors:
        raise ValidationError(errors)
    plan = ContingencyPlan.objects.select_for_update().get(pk=plan.pk)
    for field, value in clean.items():
        setattr(plan, field, value)
    audit.attribute(plan, by)
    plan.save()
    return plan


# --- activation --------------------------------------------------------------------------------------------


@transaction.atomic
def activation_start(*, by: User, plan: ContingencyPlan, reason: str) -> Activation:
    """Start the plan: everyone in the paired team (and the squads below it) is told and asked to confirm."""
    station = plan.pairing.station
    _require_manage(by, station)
    errors: Errors = {}
    reason = _text(reason, "reason", 200, errors, _("请填写启动原因。"))
    if errors:
        raise ValidationError(errors)
    # Locking the plan serialises two officers pressing 启动 at once: the second finds it running.
    plan = ContingencyPlan.objects.select_for_update().select_related("pairing__team").get(pk=plan.pk)
    running = Activation.objects.filter(plan=plan, closed_at__isnull=True).first()
    if running is not None:
        raise Refused(
            _("该预案已于%(when)s启动，请先结束本次响应。")
            % {"when": timezone.localtime(running.created_at).strftime("%Y-%m-%d %H:%M")}
        )
    team = plan.pairing.team
    members = list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(organization__path__startswith=team.path).values("user_id"),
        ).order_by("pk")
    )
    if not members:
        raise Refused(_("“%(team)s”还没有成员，无法通知。") % {"team": team.name})
    activation = Activation.objects.create(plan=plan, reason=reason, activated_by=by)
    now = timezone.now()
    ActivationResponse.objects.bulk_create(
        ActivationResponse(activation=activation, user=user, notified_at=now) for user in members
    )
    station_handoffs.tell_activation(activation, members)
    return activation


@transaction.atomic
def activation_confirm(*, by: User, activation: Activation) -> ActivationResponse:
    """收到: the member confirms they were reached. Confirming twice keeps the first time."""
    response = (
        ActivationResponse.objects.select_for_update().filter(activation=activation, user_id=by.pk).first()
    )
    if response is None:
        raise access.PermissionDenied(_("您不在本次应急响应的通知名单中。"))
    if Activation.objects.filter(pk=activation.pk, closed_at__isnull=False).exists():
        raise Refused(_("本次应急响应已结束。"))
    if response.confirmed_at is None:
        response.confirmed_at = timezone.now()
        response.save(update_fields=["confirmed_at", "updated_at"])
    return response


@transaction.atomic
def activation_close(*, by: User, activation: Activation, note: str) -> Activation:
    _require_manage(by, activation.plan.pairing.station)
    errors: Errors = {}
    note = _text(note, "note", 5000, errors, _("请填写总结，例如 处置经过和结果。"))
    if errors:
        raise ValidationError(errors)
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.closed_at is not None:
        raise Refused(_("本次应急响应已结束。"))
    activation.closed_at, activation.closing_note = timezone.now(), note
    activation.save(update_fields=["closed_at", "closing_note", "updated_at"])
    return activation


# --- incidents ---------------------------------------------------------------------------------------------


@transaction.atomic
def incident_report(
    *,
    by: User,
    station: Station,
    kind: str,
    description: str,
    severity: str = Incident.Severity.LOW,
    photo: UploadedFile | None = None,
) -> Incident:
    if not rights(by, station).report:
        raise access.PermissionDenied(_("只有站点所属文明办和联动团队成员可以报告突发情况。"))
    errors: Errors = {}
    kind = _text(kind, "kind", 50, errors, _("请填写类型，例如 旅客受伤、走失、纠纷。"))
    description = _text(description, "description", 2000, errors, _("请描述现场情况。"))
    if severity not in Incident.Severity.values:
        _add(errors, "severity", _("请选择严重程度。"))
    prepared = images.prepare(photo, errors, "photo")
    if errors:
        raise ValidationError(errors)
    incident = Incident(
        station=station, kind=kind, severity=severity, description=description, reported_by=by
    )
    if prepared is not None:
        images.attach(incident.photo, prepared)
    audit.attribute(incident, by)
    try:
        incident.save()
    except Exception:
        images.discard(incident.photo.storage, incident.photo.name or "")
        raise
    station_handoffs.tell_incident_reported(incident, by)
    return incident


def _locked(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update().select_related("station__responsible_office").get(pk=incident.pk)
    )


@transaction.atomic
def incident_escalate(*, by: User, incident: Incident) -> Incident:
    """上报: the responsible office's managers are told and take it from here."""
    incident = _locked(incident)
    station = incident.station
    if not rights(by, station).operate:
        raise access.PermissionDenied(_("只有站点所属文明办和联动团队负责人可以上报。"))
    if incident.status != Incident.Status.OPEN:
        raise Refused(_("该情况%(status)s，不能再上报。") % {"status": incident.get_status_display()})
    incident.status = Incident.Status.ESCALATED
    audit.attribute(incident, by, _("上报所属文明办"))
    incident.save()
    station_handoffs.tell_incident_escalated(incident, by)
    return incident


@transaction.atomic
def incident_resolve(*, by: User, incident: Incident, resolution: str) -> Incident:
    incident = _locked(incident)
    _require_manage(by, incident.station)
    errors: Errors = {}
    resolution = _text(resolution, "resolution", 2000, errors, _("请填写处理结果。"))
    if errors:
        raise ValidationError(errors)
    if incident.status == Incident.Status.RESOLVED:
        raise Refused(_("该情况已解决。"))
    incident.status, incident.resolution = Incident.Status.RESOLVED, resolution
    incident.resolved_at = timezone.now()
    audit.attribute(incident, by)
    incident.save()
    station_handoffs.tell_incident_resolved(incident, by)
    return incident
