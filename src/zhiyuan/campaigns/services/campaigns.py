"""Writes for campaigns: creating one (cloning is in services/clone.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core import access, audit
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm


@transaction.atomic
def campaign_create(
    *, by: User, organizer: Organization, slug: str, title: str, starts_on: date, ends_on: date, **fields: Any
) -> Campaign:
    access.require(by, Perm.ORG_CHANGE, organizer)
    campaign = Campaign(
        organizer=organizer, slug=slug, title=title, starts_on=starts_on, ends_on=ends_on, **fields
    )
    try:
        campaign.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    audit.attribute(campaign, by)
    campaign.save()
    return campaign
