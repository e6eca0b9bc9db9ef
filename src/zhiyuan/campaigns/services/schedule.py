"""Moving a whole campaign in time (提前 / 推迟): the period, its phases, the rotation, the stations' due
dates and the report rules' fixed dates move together, so nothing is left at the old dates."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core import access, audit
from zhiyuan.core.models import User
from zhiyuan.organizations.roles import Perm

MAX_MOVE_DAYS = 400


@transaction.atomic
def campaign_move(*, by: User, campaign: Campaign, days: int) -> Campaign:
    """Move `campaign` by `days` (negative: earlier). Refused once a shift of it has started, because
    hours already served stay on the dates they were served."""
    from zhiyuan.campaigns.models import Shift
    from zhiyuan.reporting.models import ReportRule

    access.require(by, Perm.CAMPAIGN_CHANGE, campaign.organizer)
    if not -MAX_MOVE_DAYS <= days <= MAX_MOVE_DAYS:
        raise ValidationError({"days": [_("最多提前或推迟400天。")]})
    if Shift.objects.filter(campaign=campaign).exists():
        raise ValidationError({"days": [_("活动已排有班次，不能整体移动日期。")]})
    delta = timedelta(days=days)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.starts_on += delta
    campaign.ends_on += delta
    audit.attribute(campaign, by, reason=_("活动日期整体移动 %(d)d 天") % {"d": days})
    campaign.save()
    for phase in campaign.phases.all():
        phase.starts_on += delta
        phase.ends_on += delta
        phase.save(update_fields=["starts_on", "ends_on", "updated_at"])
    # later dates first on a forward move (and earlier first backwards): the rotation keeps one duty a day
    for duty in campaign.duties.order_by("-date" if days > 0 else "date"):
        duty.date += delta
        duty.postponed_to = duty.postponed_to + delta if duty.postponed_to else None
        audit.attribute(duty, by)
        duty.save()
    for station in campaign.stations.exclude(standard_due_on=None):
        station.standard_due_on = (station.standard_due_on or campaign.starts_on) + delta
        audit.attribute(station, by)
        station.save()
    for rule in ReportRule.objects.filter(campaign=campaign):
        rule.due_at = rule.due_at + delta if rule.due_at else None
        rule.active_from = rule.active_from + delta if rule.active_from else None
        rule.active_to = rule.active_to + delta if rule.active_to else None
        audit.attribute(rule, by)
        rule.save()
    return campaign
