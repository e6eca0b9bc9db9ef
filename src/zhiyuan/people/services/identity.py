"""Checking a person's basic record (办法 Art. 5) before anything is written. Used by self-registration,
entry by an organisation, the API and the roster import, so every path refuses the same things with the
same messages — all of them at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.core import crypto, ids, phones
from zhiyuan.core.models import User
from zhiyuan.people.models import Gender, IdType, Volunteer
from zhiyuan.people.models.volunteer import GUARDIAN_AGE

ID_TAKEN = gettext_lazy("该证件号码已注册志愿者，请直接登录或联系所在单位。")
MOBILE_TAKEN = gettext_lazy("该手机号已注册志愿者，请直接登录。")


@dataclass
class Identity:
    full_name: str
    mobile: str
    id_type: str
    id_number: str
    id_digest: str
    id_masked: str
    gender: str
    birth_date: date


def identity_clean(
    *, exclude_volunteer: Volunteer | None = None, errors: dict[str, list[str]] | None = None, **fields: Any
) -> Identity | None:
    """identity_parse plus the database's word: an ID number or mobile already held by a volunteer."""
    own = errors is None
    errors = {} if errors is None else errors
    identity = identity_parse(errors=errors, **fields)
    if identity is not None:
        identity_conflicts(identity, errors=errors, exclude_volunteer=exclude_volunteer)
    if errors and own:
        raise ValidationError(errors)
    return None if errors else identity


def identity_conflicts(
    identity: Identity, *, errors: dict[str, list[str]], exclude_volunteer: Volunteer | None = None
) -> None:
    """Add to `errors` when a volunteer already holds this ID number or mobile. Self-registration asks
    only once the SMS code is right, so the answer cannot be used to find out who is registered."""
    taken = Volunteer.objects.filter(id_digest=identity.id_digest)
    holders = User.objects.filter(mobile=identity.mobile, volunteer__isnull=False)
    if exclude_volunteer is not None:
        taken = taken.exclude(pk=exclude_volunteer.pk)
        holders = holders.exclude(pk=exclude_volunteer.user_id)
    if taken.exists():
        errors.setdefault("id_number", []).append(str(ID_TAKEN))
    if holders.exists():
        errors.setdefault("mobile", []).append(str(MOBILE_TAKEN))


def identity_parse(
    *,
    full_name: str,
    mobile: str,
    id_type: str,
    id_number: str,
    gender: str = "",
    birth_date: date | None = None,
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    errors: dict[str, list[str]] | None = None,
) -> Identity | None:
    """The identity checked on its own, without the database: format, birth date, check digit, guardian.
    None with every problem added to `errors` (raises if `errors` is None). The roster import runs this on
    every row and then checks uniqueness for the whole file in a few queries."""
    own = errors is None
    errors = {} if errors is None else errors

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    full_name = "".join((full_name or "").split())
    if not full_name:
        fail("full_name", _("请填写姓名。"))
    elif len(full_name) > 50:
        fail("full_name", _("姓名过长。"))
    try:
        mobile = phones.normalise_mobile(mobile or "")
    except ValidationError as exc:
        fail("mobile", exc.messages[0])
    if id_type not in IdType.values:
        fail("id_type", _("请选择证件类型。"))
    number = ids.normalise(id_number or "")
    if id_type == IdType.RESIDENT:
        try:
            parsed = ids.parse(number)
            gender = Gender.MALE if parsed.is_male else Gender.FEMALE
            birth_date = parsed.birth_date
        except ValidationError as exc:
            fail("id_number", exc.messages[0])
    else:
        if not 5 <= len(number) <= 30 or not number.isalnum():
            fail("id_number", _("请输入有效的证件号码。"))
        if gender not in Gender.values:
            fail("gender", _("请选择性别。"))
        if birth_date is None or not date(1900, 1, 1) <= birth_date <= timezone.localdate():
            fail("birth_date", _("请填写有效的出生日期。"))
    digest = crypto.digest(f"{id_type}:{number}") if number else ""
    if birth_date is not None and ids.age_on(birth_date, timezone.localdate()) < GUARDIAN_AGE:
        # PIPL Art. 31: a child's data needs the guardian's name, phone and recorded consent
        if not "".join(guardian_name.split()):
            fail("guardian_name", _("未满14周岁的志愿者须填写监护人姓名。"))
        try:
            phones.normalise_any(guardian_phone)
        except ValidationError:
            fail("guardian_phone", _("未满14周岁的志愿者须填写监护人有效电话。"))
        if not guardian_consent:
            fail("guardian_consent", _("未满14周岁的志愿者须经监护人同意。"))
    if errors:
        if own:
            raise ValidationError(errors)
        return None
    assert birth_date is not None
    masked = ids.mask(number)
    return Identity(full_name, mobile, id_type, number, digest, masked, gender, birth_date)
