"""Writes for 热线与渠道: officers of the organisation that runs a channel publish, edit and remove it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.models import Channel
from zhiyuan.outreach.services.common import (
    Errors,
    add,
    check_owner,
    model_errors,
    phone_or_service,
    raise_if,
    require_visible_then,
)

CHANNEL_FIELDS = ("campaign", "kind", "name", "value", "description", "order", "published")
PHONE_KINDS = (Channel.Kind.HOTLINE, Channel.Kind.SAFE_CALL)


def _errors(c: Channel, errors: Errors) -> None:
    c.name, c.value = (c.name or "").strip(), (c.value or "").strip()
    model_errors(c, errors, exclude=["organization"])
    if c.kind in PHONE_KINDS:
        if not c.value:
            add(errors, "value", _("请填写电话号码。"))
        else:
            c.value = phone_or_service(c.value, errors, field="value")
    if c.published and not c.value and c.kind in (Channel.Kind.WECHAT, Channel.Kind.WEIBO):
        add(errors, "value", _("公开前请填写公众号或微博名称。"))


def channel_problems(channel: Channel) -> Errors:
    """Every problem of an unsaved channel, for a form to show with its own."""
    errors: Errors = {}
    _errors(channel, errors)
    return errors


def _known(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(CHANNEL_FIELDS)
    if unknown:
        raise_if({f: [_("不能修改此字段。")] for f in sorted(unknown)})


@transaction.atomic
def channel_create(*, by: Any, organization: Organization | None, **fields: Any) -> Channel:
    require_visible_then(by, organization, Perm.OUTREACH_CHANGE)
    _known(fields)
    channel = Channel(organization=organization, **fields)
    errors: Errors = {}
    check_owner(by, organization, errors)
    _errors(channel, errors)
    raise_if(errors)
    audit.attribute(channel, by)
    channel.save()
    return channel


@transaction.atomic
def channel_update(*, by: Any, channel: Channel, **changes: Any) -> Channel:
    access.require(by, Perm.OUTREACH_CHANGE, channel.organization)
    _known(changes)
    c = Channel.objects.select_for_update().get(pk=channel.pk)
    for field, value in changes.items():
        setattr(c, field, value)
    errors: Errors = {}
    _errors(c, errors)
    raise_if(errors)
    audit.attribute(c, by)
    c.save()
    return c


@transaction.atomic
def channel_delete(*, by: Any, channel: Channel) -> None:
    access.require(by, Perm.OUTREACH_CHANGE, channel.organization)
    audit.attribute(channel, by)
    channel.delete()
