"""Telling people about a station's incidents, emergency activations and 报备 (notifications.handoffs)."""

from __future__ import annotations

from typing import Any

from zhiyuan.campaigns.models import Activation, Duty, DutyFiling, Incident, Station, StationLink
from zhiyuan.notifications import audiences
from zhiyuan.notifications.handoffs import handoff_notify
from zhiyuan.organizations.roles import Perm, Role


def office_managers(station: Station) -> list[Any]:
    """Those who manage the station at its responsible office (管理站点 there)."""
    return audiences.granted([station.responsible_office_id], Perm.STATION_CHANGE)


def linked_leaders(station: Station) -> list[Any]:
    teams = StationLink.objects.filter(station=station).values_list("team_id", flat=True)
    return audiences.holders(list(teams), audiences.TEAM_LEADERS)


def _incident(incident: Incident, **extra: Any) -> dict[str, Any]:
    return {
        "incident_id": incident.pk,
        "station": incident.station.name,
        "kind": incident.kind,
        "severity": incident.get_severity_display(),
        "description": incident.description,
        **extra,
    }


def tell_incident_reported(incident: Incident, by: Any) -> int:
    people = audiences.users(*linked_leaders(incident.station), *office_managers(incident.station))
    return handoff_notify(
        event="incident.reported",
        recipients=[p for p in people if p.pk != by.pk],
        context=_incident(incident),
    )


def tell_incident_escalated(incident: Incident, by: Any) -> int:
    people = [p for p in office_managers(incident.station) if p.pk != by.pk]
    return handoff_notify(event="incident.escalated", recipients=people, context=_incident(incident))


def tell_incident_resolved(incident: Incident, by: Any) -> int:
    reporter = incident.reported_by
    if reporter is None or reporter.pk == by.pk:
        return 0
    return handoff_notify(
        event="incident.resolved",
        recipients=[reporter],
        context=_incident(incident, resolution=incident.resolution),
    )


def tell_activation(activation: Activation, members: list[Any]) -> int:
    plan = activation.plan
    return handoff_notify(
        event="emergency.activated",
        recipients=members,
        context={
            "activation_id": activation.pk,
            "station": plan.pairing.station.name,
            "trigger": plan.trigger,
            "reason": activation.reason,
        },
    )


def tell_duty_filed(duty: Duty, filing: DutyFiling, by: Any) -> int:
    campaign = duty.campaign
    officers = audiences.holders([campaign.organizer_id], [Role.OFFICER])
    return handoff_notify(
        event="duty.filed",
        recipients=[p for p in officers if p.pk != by.pk],
        context={
            "campaign_slug": campaign.slug,
            "unit": duty.responsible_label or duty.responsible.name,
            "day": f"{duty.date:%m月%d日}",
            "place": duty.place,
            "filing": filing.get_kind_display()
            + (f"至{filing.new_date:%m月%d日}" if filing.new_date else ""),
            "reason": filing.reason,
        },
    )
