"""Mainland China phone numbers: mobiles (11 digits) and landlines that carry their area code."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumbers import PhoneNumberType

_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_FIXED_TYPES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _digits(raw: str) -> str:
    cleaned = raw.strip().replace(" ", "").replace("-", "").replace("－", "").replace("—", "")
    if cleaned.startswith("+86"):
        return cleaned[3:]
    if cleaned.startswith("0086"):
        return cleaned[4:]
    return cleaned


def _parse(digits: str) -> phonenumbers.PhoneNumber | None:
    if not digits.isdigit():
        return None
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number_for_region(number, "CN") else None


def normalise_mobile(raw: str) -> str:
    """`13812345678` from `+86 138-1234-5678`; ValidationError for anything else."""
    digits = _digits(raw)
    number = _parse(digits)
    if len(digits) != 11 or number is None or phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(_("请输入有效的11位手机号码，例如 13812345678。"), code="mobile")
    return digits


def normalise_landline(raw: str) -> str:
    """`0371-67186891` from `037167186891`, `0371 6718 6891` or `+86 371 67186891`.

    The area code is required: an office number without it is ambiguous across cities.
    """
    digits = _digits(raw)
    if raw.strip().startswith("+") and not digits.startswith("0"):
        digits = "0" + digits
    number = _parse(digits) if digits.startswith("0") else None
    if number is None or phonenumbers.number_type(number) not in _FIXED_TYPES:
        raise ValidationError(
            _("请输入带区号的固定电话号码，例如 0371-67186891。"),
            code="landline",
        )
    national = str(number.national_number)
    area_len = phonenumbers.length_of_geographical_area_code(number)
    if not area_len:
        raise ValidationError(_("请输入带区号的固定电话号码，例如 0371-67186891。"), code="landline")
    return f"0{national[:area_len]}-{national[area_len:]}"


def normalise_any(raw: str) -> str:
    """A mobile or a landline, whichever it is."""
    try:
        return normalise_mobile(raw)
    except ValidationError:
        pass
    try:
        return normalise_landline(raw)
    except ValidationError:
        raise ValidationError(_("请输入有效的手机号码或带区号的固定电话号码。"), code="phone") from None


def mask_mobile(value: str) -> str:
    return value[:3] + "****" + value[-4:] if len(value) == 11 else value


def normalise_service_or_phone(raw: str) -> str:
    """A mobile, a landline with its area code, or a short service number (12345, 12306, 96196 …), which
    has no area code and is kept as it is; "" stays ""."""
    raw = (raw or "").strip()
    digits = raw.replace("-", "").replace(" ", "")
    if not raw or (digits.isdigit() and 3 <= len(digits) <= 8 and digits[0] in "19"):
        return digits
    try:
        return normalise_any(raw)
    except ValidationError:
        raise ValidationError(_("请输入手机号码、带区号的固定电话或12345等服务号码。")) from None
