"""Writes to the volunteer register: self-registration, entry by an organisation, profile changes and the
audited reveal of an ID number."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit, crypto, phones, sequences
from zhiyuan.core.models import User
from zhiyuan.organizations.models import LED_KINDS, Kind, Membership, Organization
from zhiyuan.organizations.roles import Perm, Role
from zhiyuan.people.models import Consent, ConsentKind, IdReveal, ServiceCategory, Skill, Volunteer
from zhiyuan.people.services.identity import Identity, identity_clean, identity_conflicts, identity_parse
from zhiyuan.people.services.phone import phone_code_check, phone_code_consume

AVAILABILITY_SLOTS = [f"{day}-{part}" for day in range(1, 8) for part in ("am", "pm", "eve")]
PROFILE_FIELDS = (
    "residence",
    "political_status",
    "availability",
    "emergency_name",
    "emergency_phone",
    "guardian_name",
    "guardian_phone",
)


def _profile_clean(data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """The optional part of the record; bad values are added to `errors`."""
    clean = {k: data[k] for k in PROFILE_FIELDS if k in data}
    for field in ("emergency_phone", "guardian_phone"):
        if clean.get(field):
            try:
                clean[field] = phones.normalise_any(clean[field])
            except ValidationError as exc:
                errors.setdefault(field, []).append(exc.messages[0])
    slots = clean.get("availability")
    if slots is not None:
        unknown = [s for s in slots if s not in AVAILABILITY_SLOTS]
        if unknown:
            errors.setdefault("availability", []).append(
                _("可服务时间无效：%(v)s") % {"v": "、".join(unknown)}
            )
    return clean


def _check_person(
    errors: dict[str, list[str]],
    *,
    profile: dict[str, Any],
    guardian_consent: bool,
    conflicts: bool = True,
    **identity: Any,
) -> tuple[Identity | None, dict[str, Any]]:
    """The identity and the optional record, every problem added to `errors`: shared by self-registration
    and entry by an organisation so both refuse the same things with the same words. With
    `conflicts=False` the database is not asked whether the ID number or mobile is taken."""
    checked = (identity_clean if conflicts else identity_parse)(
        guardian_name=profile.get("guardian_name", ""),
        guardian_phone=profile.get("guardian_phone", ""),
        guardian_consent=guardian_consent,
        errors=errors,
        **identity,
    )
    return checked, _profile_clean(profile, errors)


def _home(organization: Organization | None, errors: dict[str, list[str]]) -> None:
    if organization is None or organization.kind != Kind.OFFICE:
        errors.setdefault("home_organization", []).append(_("请选择居住区域所属的文明办。"))


def _create(
    *,
    identity: Identity,
    user: User,
    home_organization: Organization,
    profile: dict[str, Any],
    skills: Iterable[Skill],
    service_categories: Iterable[ServiceCategory],
    entered_by: Organization | None,
    mobile_verified: bool,
) -> Volunteer:
    volunteer = Volunteer(
        user=user,
        number=volunteer_numbers(1)[0],
        gender=identity.gender,
        birth_date=identity.birth_date,
        id_type=identity.id_type,
        id_cipher=crypto.encrypt(identity.id_number),
        id_digest=identity.id_digest,
        id_masked=identity.id_masked,
        home_organization=home_organization,
        entered_by=entered_by,
        mobile_verified_at=timezone.now() if mobile_verified else None,
        **profile,
    )
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:
        # two registrations of one ID number racing past the check: the unique digest decides
        raise ValidationError(
            {"id_number": _("该证件号码已注册志愿者，请直接登录或联系所在单位。")}
        ) from None
    volunteer.skills.set(skills)
    volunteer.service_categories.set(service_categories)
    return volunteer


def _account_for(identity: Identity, *, by: User | None) -> User:
    """The account holding this mobile (e.g. a 楼栋长 entered earlier without a profile), else a new one.

    identity_clean has already refused a mobile that belongs to another volunteer.
    """
    user = User.objects.filter(mobile=identity.mobile).first()
    if user is None:
        username = identity.mobile
        if User.objects.filter(username=username).exists():
            username = f"{identity.mobile}-{User.objects.count()}"
        user = User(username=username, mobile=identity.mobile)
        user.set_unusable_password()
    user.full_name = identity.full_name
    if by is not None:
        audit.attribute(user, by)
    user.save()
    return user


def volunteer_numbers(count: int) -> list[str]:
    """Public volunteer numbers (志愿者编号), e.g. ZY202600000042: the year of registration and a counter."""
    first = sequences.allocate("volunteer_number", count)
    year = timezone.localdate().year
    return [f"ZY{year}{n:08d}" for n in range(first, first + count)]


def _consent(volunteer: Volunteer, kind: str, by: User | None, evidence: str = "") -> None:
    Consent.objects.create(
        volunteer=volunteer,
        kind=kind,
        version=settings.ZHIYUAN_PRIVACY_VERSION,
        given_by=by,
        evidence=evidence,
    )


def volunteer_register(
    *,
    full_name: str,
    mobile: str,
    code: str,
    password: str,
    id_type: str,
    id_number: str,
    home_organization: Organization | None,
    privacy_consent: bool,
    location_consent: bool = False,
    gender: str = "",
    birth_date: date | None = None,
    guardian_consent: bool = False,
    skills: Iterable[Skill] = (),
    service_categories: Iterable[ServiceCategory] = (),
    **profile: Any,
) -> Volunteer:
    """A newcomer registers themselves on their phone, proving the mobile with a one-time code.

    Whether the ID number or mobile is already registered is said only once the code is right: before
    that, an anonymous caller could use the answer to find out who is registered (issue 14 item 4)."""
    errors: dict[str, list[str]] = {}
    identity, clean_profile = _check_person(
        errors,
        conflicts=False,
        full_name=full_name,
        mobile=mobile,
        id_type=id_type,
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        guardian_consent=guardian_consent,
        profile=profile,
    )
    _home(home_organization, errors)
    if not privacy_consent:
        errors.setdefault("privacy_consent", []).append(_("请阅读并同意隐私政策后再注册。"))
    try:
        validate_password(password, User(username=mobile, full_name=full_name))
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    verification = None
    if "mobile" not in errors:
        try:
            verification = phone_code_check(mobile=mobile, code=code)
        except ValidationError as exc:
            errors.update({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    if verification is not None and identity is not None:
        identity_conflicts(identity, errors=errors)
    if errors or identity is None or verification is None or home_organization is None:
        raise ValidationError(errors)
    with transaction.atomic():
        phone_code_consume(verification=verification)
        user = _account_for(identity, by=None)
        user.set_password(password)
        user.save()
        volunteer = _create(
            identity=identity,
            user=user,
            home_organization=home_organization,
            profile=clean_profile,
            skills=skills,
            service_categories=service_categories,
            entered_by=None,
            mobile_verified=True,
        )
        _consent(volunteer, ConsentKind.PRIVACY, user)
        if location_consent:
            _consent(volunteer, ConsentKind.LOCATION, user)
        if volunteer.needs_guardian:
            _consent(volunteer, ConsentKind.GUARDIAN, user, evidence=clean_profile.get("guardian_name", ""))
    return volunteer


def volunteer_enter(
    *,
    by: User,
    organization: Organization,
    full_name: str,
    mobile: str,
    id_type: str,
    id_number: str,
    consent_evidence: str,
    home_organization: Organization | None = None,
    gender: str = "",
    birth_date: date | None = None,
    guardian_consent: bool = False,
    skills: Iterable[Skill] = (),
    service_categories: Iterable[ServiceCategory] = (),
    tell: bool = True,
    **profile: Any,
) -> Volunteer:
    """An organisation enters a volunteer's record for them — only with the volunteer's recorded consent
    (办法 Art. 6): `consent_evidence` says how it was given (e.g. 纸质登记表签字 2026-11-20). The person
    is told (an invitation to set a password); `tell=False` is for the demo's fictitious people."""
    access.require(by, Perm.VOLUNTEER_CHANGE, organization)
    errors: dict[str, list[str]] = {}
    identity, clean_profile = _check_person(
        errors,
        full_name=full_name,
        mobile=mobile,
        id_type=id_type,
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        guardian_consent=guardian_consent,
        profile=profile,
    )
    home = home_organization or _office_of(organization)
    _home(home, errors)
    if not consent_evidence.strip():
        errors.setdefault("consent_evidence", []).append(_("代为登记须记录志愿者本人同意的方式和时间。"))
    joins_team = organization.kind in LED_KINDS
    if home is not None and not joins_team and not access.can(by, Perm.VOLUNTEER_VIEW, home):
        # entered by an office for another district, the volunteer would vanish from the officer's view
        errors.setdefault("home_organization", []).append(
            _("所属区域不在您的管理范围内，请由该区域登记或由队伍登记。")
        )
    if errors or identity is None or home is None:
        raise ValidationError(errors)
    with transaction.atomic():
        user = _account_for(identity, by=by)
        volunteer = _create(
            identity=identity,
            user=user,
            home_organization=home,
            profile=clean_profile,
            skills=skills,
            service_categories=service_categories,
            entered_by=organization,
            mobile_verified=False,
        )
        if joins_team:
            # entered by a team, they are its member: that is also what keeps them in the team's view
            membership = Membership(user=user, organization=organization, role=Role.VOLUNTEER)
            audit.attribute(membership, by)
            membership.save()
        _consent(volunteer, ConsentKind.ENTRY_BY_ORGANIZATION, by, evidence=consent_evidence.strip())
        _consent(volunteer, ConsentKind.PRIVACY, by, evidence=consent_evidence.strip())
        if volunteer.needs_guardian:
            _consent(volunteer, ConsentKind.GUARDIAN, by, evidence=clean_profile.get("guardian_name", ""))
        if tell:
            from zhiyuan.accounts.invitations import person_added_tell

            person_added_tell(by=by, user=user, organization=organization, role=Role.VOLUNTEER)
    return volunteer


def _office_of(organization: Organization) -> Organization | None:
    """The nearest 文明办 at or above `organization`: where a volunteer it enters is registered."""
    chain = [int(pk) for pk in organization.path.strip("/").split("/")]
    offices = {o.pk: o for o in Organization.objects.filter(pk__in=chain, kind=Kind.OFFICE)}
    return next((offices[pk] for pk in reversed(chain) if pk in offices), None)


@transaction.atomic
def volunteer_update(
    *,
    by: User,
    volunteer: Volunteer,
    skills: Iterable[Skill] | None = None,
    service_categories: Iterable[ServiceCategory] | None = None,
    **changes: Any,
) -> Volunteer:
    """The volunteer themself, or someone who manages them, changes the optional part of the record."""
    if by.pk != volunteer.user_id and not access.can(by, Perm.VOLUNTEER_CHANGE, volunteer.home_organization):
        raise access.PermissionDenied()
    errors: dict[str, list[str]] = {}
    unknown = set(changes) - set(PROFILE_FIELDS)
    for field in unknown:
        errors.setdefault(field, []).append(_("不能修改此字段。"))
    clean = _profile_clean(changes, errors)
    if errors:
        raise ValidationError(errors)
    for field, value in clean.items():
        setattr(volunteer, field, value)
    audit.attribute(volunteer, by)
    volunteer.save()
    if skills is not None:
        volunteer.skills.set(skills)
    if service_categories is not None:
        volunteer.service_categories.set(service_categories)
    return volunteer


@transaction.atomic
def volunteer_reveal_id(*, by: User, volunteer: Volunteer, reason: str) -> str:
    """The full ID number, for a role that needs it (e.g. buying accident insurance), recorded every time."""
    if by.pk != volunteer.user_id and not access.can(by, Perm.PERSON_REVEAL, volunteer.home_organization):
        raise access.PermissionDenied(_("您无权查看完整证件号码。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明查看完整证件号码的原因。")})
    IdReveal.objects.create(volunteer=volunteer, by=by, reason=reason.strip()[:200])
    return volunteer.reveal_id_number()
