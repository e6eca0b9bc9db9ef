"""The staffing-gap job: the leaders of the teams that could fill a forecast gap are told, once per
station and day (the notification key), with a link to the forecast."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import notify
from zhiyuan.core.models import User
from zhiyuan.notifications.periodic import register
from zhiyuan.ops.selectors.forecast import forecast
from zhiyuan.organizations.roles import Role

LEADER_ROLES = (Role.LEADER, Role.SQUADRON_LEADER, Role.DEPUTY_SQUADRON_LEADER)
NOTICE_DAYS = 7  # gaps further ahead may still fill by themselves


def staffing_gaps_notify(now: datetime | None = None) -> str:
    now = now or timezone.now()
    system = User.objects.filter(is_superuser=True).order_by("pk").first()
    if system is None:
        return "no admin to read the whole tree"
    gaps = [
        g
        for g in forecast(user=system, now=now)
        if g.day < timezone.localdate(now) + timedelta(days=NOTICE_DAYS)
    ]
    told = 0
    for gap in gaps:
        team_ids = [t.id for t in gap.teams]
        leaders = User.objects.filter(
            memberships__organization_id__in=team_ids, memberships__role__in=LEADER_ROLES, is_active=True
        ).distinct()
        body = _(
            "%(station)s %(day)s 预计到岗 %(expected)s 人，少于最少 %(minimum)d 人，请安排队员报名补位。"
        ) % {
            "station": gap.station,
            "day": f"{gap.day:%m月%d日}",
            "expected": gap.expected,
            "minimum": gap.minimum,
        }
        told += notify.notify(
            users=list(leaders),
            subject=_("人员缺口：%(station)s %(day)s")
            % {"station": gap.station, "day": f"{gap.day:%m月%d日}"},
            body=body,
            url=reverse("ops:forecast"),  # made absolute (ZHIYUAN_SITE_URL) when e-mailed or texted
            key=f"gap:{gap.station_id}:{gap.day.isoformat()}",
        )
    return f"{len(gaps)} gaps, {told} told"


register("staffing_gaps", staffing_gaps_notify, every=timedelta(hours=1))
