"""What the outreach services share: field validation that reports every bad field at once, public codes,
and who may write on behalf of an organisation."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from zhiyuan.core import access, phones
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

Errors = dict[str, list[str]]

# No 0/O, 1/I/L: read aloud over a hotline or typed on a phone without mistakes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31**10 ≈ 8×10^14: a code shown to one person cannot be guessed for another's


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def model_errors(obj: Model, errors: Errors, exclude: list[str] | None = None) -> None:
    """Django's own field checks (required, lengths, choices), merged into `errors`."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(field, []):
                    add(errors, field, message)


def mobile(raw: str, errors: Errors, field: str = "phone") -> str:
    try:
        return phones.normalise_mobile(raw or "")
    except ValidationError as exc:
        add(errors, field, exc.messages[0])
        return raw


def phone_or_service(raw: str, errors: Errors, field: str = "phone") -> str:
    """A mobile, a landline with its area code, or a short service number (12345, 96196)."""
    try:
        return phones.normalise_service_or_phone(raw)
    except ValidationError as exc:
        add(errors, field, exc.messages[0])
        return (raw or "").strip()


def check_owner(
    by: Any, organization: Organization | None, errors: Errors, perm: str = Perm.OUTREACH_CHANGE
) -> None:
    """The organisation a record is filed under: one the user may manage outreach for."""
    if organization is None:
        add(errors, "organization", _("请选择负责单位。"))
    elif not access.can(by, perm, organization):
        add(errors, "organization", _("您无权以该单位的名义发布。"))


def require_visible_then(by: Any, organization: Organization | None, perm: str) -> None:
    """Inside the caller's view scope but without the right: 403 rather than a field error."""
    if organization is not None and access.can(by, Perm.OUTREACH_VIEW, organization):
        access.require(by, perm, organization)


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)
