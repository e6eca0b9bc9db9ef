"""Resident identity numbers (公民身份号码) per GB 11643-1999: format, birth date, check digit, masking.

Eighteen characters: six of address code, eight of birth date (YYYYMMDD), three of sequence (odd for men,
even for women) and an ISO 7064 MOD 11-2 check character, 0-9 or X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_FORMAT = re.compile(r"^\d{17}[\dX]$")
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    is_male: bool

    @property
    def region_code(self) -> str:
        return self.value[:6]

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)

    @property
    def masked(self) -> str:
        return mask(self.value)


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day`: a birthday not yet reached this year does not count."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(raw: str) -> str:
    return "".join(raw.split()).upper()


def parse(raw: str, *, today: date | None = None) -> IdNumber:
    """The parsed number, or ValidationError with a message a person can act on."""
    value = normalise(raw)
    if not _FORMAT.match(value):
        raise ValidationError(_("身份证号码应为18位，前17位为数字，最后一位为数字或X。"), code="format")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期不存在。"), code="birth_date") from None
    if not EARLIEST_BIRTH <= born <= (today or date.today()):
        raise ValidationError(_("身份证号码中的出生日期不合理。"), code="birth_date")
    if check_char(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="check_digit")
    return IdNumber(value=value, birth_date=born, is_male=int(value[16]) % 2 == 1)


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except ValidationError:
        return False
    return True


def mask(value: str) -> str:
    """4101**********123X: region prefix and the last four stay, so a person recognises their own."""
    value = normalise(value)
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def validate_id_number(raw: str) -> None:
    """A Django field validator."""
    parse(raw)
