from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import id_number, last_code
from zhiyuan.core import crypto, sms
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Consent, IdReveal, PhoneVerification, Skill, Volunteer
from zhiyuan.people.services import phone
from zhiyuan.people.services.volunteers import volunteer_enter, volunteer_register, volunteer_reveal_id


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


@pytest.fixture
def district(db):
    return OrganizationFactory(name="郑东新区文明办", kind=Kind.OFFICE)


def registration(district, mobile="13800001234", born=date(1990, 5, 17), **overrides):
    phone.phone_code_send(mobile=mobile)
    data = dict(
        full_name="张某明",
        mobile=mobile,
        code=last_code(mobile),
        password="zhiyuan-Volunteer-1",
        id_type="resident",
        id_number=id_number(born),
        home_organization=district,
        privacy_consent=True,
    )
    data.update(overrides)
    return data


def test_a_newcomer_registers_with_a_verified_mobile(district):
    volunteer = volunteer_register(**registration(district), skills=Skill.objects.filter(code="medical"))
    # then the record is complete, derived from the ID number, and the number itself is not stored in clear
    assert volunteer.number.startswith("ZY") and len(volunteer.number) == 14
    # sequence 123 is odd: a man (GB 11643)
    assert (volunteer.gender, volunteer.birth_date) == ("male", date(1990, 5, 17))
    assert volunteer.id_masked == "4101" + "*" * 10 + id_number(date(1990, 5, 17))[-4:]
    assert id_number(date(1990, 5, 17)) not in volunteer.id_cipher
    assert volunteer.mobile_verified_at is not None
    assert volunteer.user.check_password("zhiyuan-Volunteer-1")
    consent = Consent.objects.get(volunteer=volunteer, kind="privacy")
    assert consent.version == "2026-11" and consent.given_by == volunteer.user
    assert not Consent.objects.filter(volunteer=volunteer, kind="location").exists()
    assert [s.name for s in volunteer.skills.all()] == ["医疗"]


def test_every_problem_is_reported_at_once_and_nothing_is_written(district):
    data = registration(
        district,
        id_number="410105199005171230",
        password="123",
        privacy_consent=False,
        code="000000",
        emergency_phone="123",
    )
    with pytest.raises(ValidationError) as exc:
        volunteer_register(**data)
    assert set(exc.value.message_dict) >= {
        "id_number",
        "password",
        "privacy_consent",
        "code",
        "emergency_phone",
    }
    assert "校验位" in exc.value.message_dict["id_number"][0]
    assert not Volunteer.objects.exists()


def test_a_wrong_code_counts_and_five_wrong_codes_burn_it(district):
    data = registration(district)
    for _ in range(5):
        with pytest.raises(ValidationError):
            volunteer_register(**{**data, "code": "999999" if data["code"] != "999999" else "888888"})
    # the right code no longer works either: a new one must be requested
    with pytest.raises(ValidationError) as exc:
        volunteer_register(**data)
    assert "code" in exc.value.message_dict


def test_a_code_registers_one_account_only(district):
    data = registration(district)
    volunteer_register(**data)
    with pytest.raises(ValidationError):
        volunteer_register(**{**data, "id_number": id_number(date(1991, 1, 1))})


def test_codes_are_rate_limited(district):
    phone.phone_code_send(mobile="13800001234")
    with pytest.raises(Refused, match="60秒"):
        phone.phone_code_send(mobile="13800001234")
    PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    for _ in range(4):
        phone.phone_code_send(mobile="13800001234")
        PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with pytest.raises(Refused, match="一小时"):
        phone.phone_code_send(mobile="13800001234")


def test_duplicate_id_number_or_mobile_is_refused_with_a_clear_message(district):
    volunteer_register(**registration(district))
    again = registration(district, mobile="13800005678")
    with pytest.raises(ValidationError) as exc:
        volunteer_register(**again)
    assert exc.value.message_dict["id_number"] == ["该证件号码已注册志愿者，请直接登录或联系所在单位。"]
    phone.PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    same_phone = registration(district, id_number=id_number(date(1992, 2, 2)))
    with pytest.raises(ValidationError) as exc:
        volunteer_register(**same_phone)
    assert exc.value.message_dict["mobile"] == ["该手机号已注册志愿者，请直接登录。"]


def test_under_14_needs_a_guardian_and_under_18_is_flagged(district):
    today = timezone.localdate()
    child = registration(district, born=today.replace(year=today.year - 10))
    with pytest.raises(ValidationError) as exc:
        volunteer_register(**child)
    assert set(exc.value.message_dict) == {"guardian_name", "guardian_phone", "guardian_consent"}
    volunteer = volunteer_register(
        **child, guardian_name="张某", guardian_phone="13900009999", guardian_consent=True
    )
    assert volunteer.needs_guardian and volunteer.is_minor
    assert Consent.objects.filter(volunteer=volunteer, kind="guardian").exists()
    teen = volunteer_register(
        **registration(district, mobile="13800007777", born=today.replace(year=today.year - 16))
    )
    assert teen.is_minor and not teen.needs_guardian


def test_other_documents_need_gender_and_birth_date(district):
    data = registration(district, id_type="passport", id_number="E12345678")
    with pytest.raises(ValidationError) as exc:
        volunteer_register(**data)
    assert set(exc.value.message_dict) == {"gender", "birth_date"}
    volunteer = volunteer_register(**data, gender="male", birth_date=date(1985, 3, 3))
    assert volunteer.id_masked == "E123*5678"


def test_entry_by_an_organisation_needs_recorded_consent(district):
    officer = MembershipFactory(organization=district, role=Role.OFFICER).user
    data = dict(
        full_name="李某华", mobile="13800002222", id_type="resident", id_number=id_number(date(1970, 1, 1))
    )
    with pytest.raises(ValidationError) as exc:
        volunteer_enter(by=officer, organization=district, consent_evidence=" ", **data)
    assert "consent_evidence" in exc.value.message_dict
    volunteer = volunteer_enter(by=officer, organization=district, consent_evidence="纸质登记表签字", **data)
    assert volunteer.entered_by == district and volunteer.home_organization == district
    assert volunteer.mobile_verified_at is None and not volunteer.user.has_usable_password()
    assert Consent.objects.get(volunteer=volunteer, kind="entry_by_org").evidence == "纸质登记表签字"


def test_a_reveal_is_checked_and_recorded(district):
    volunteer = volunteer_register(**registration(district))
    officer = MembershipFactory(organization=district, role=Role.OFFICER).user
    leader = MembershipFactory(organization=district, role=Role.LEADER).user
    from zhiyuan.core.access import PermissionDenied

    with pytest.raises(PermissionDenied):
        volunteer_reveal_id(by=leader, volunteer=volunteer, reason="好奇")
    with pytest.raises(ValidationError):
        volunteer_reveal_id(by=officer, volunteer=volunteer, reason="")
    assert volunteer_reveal_id(by=officer, volunteer=volunteer, reason="购买意外保险") == id_number(
        date(1990, 5, 17)
    )
    assert list(IdReveal.objects.values_list("by", "reason")) == [(officer.pk, "购买意外保险")]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    born=st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)),
    seq=st.integers(0, 999),
    wrong=st.sampled_from("0123456789X"),
)
def test_id_numbers_valid_or_not_property(district, born, seq, wrong):
    from zhiyuan.people.services.identity import identity_clean

    good = id_number(born, seq)
    errors: dict = {}
    identity = identity_clean(
        full_name="某", mobile="13800001111", id_type="resident", id_number=good, errors=errors
    )
    assert (
        identity is not None
        and identity.birth_date == born
        and identity.id_digest == crypto.digest(f"resident:{good}")
    )
    bad = good[:-1] + wrong
    if bad != good:
        errors = {}
        assert (
            identity_clean(
                full_name="某", mobile="13800001111", id_type="resident", id_number=bad, errors=errors
            )
            is None
        )
        assert "id_number" in errors


def test_an_office_may_not_enter_a_resident_of_a_district_it_does_not_manage(district):
    other = OrganizationFactory(name="中原区文明办", kind=Kind.OFFICE)
    team = OrganizationFactory(name="东区服务队", kind=Kind.TEAM, parent=district)
    officer = MembershipFactory(organization=district, role=Role.OFFICER).user
    data = dict(
        full_name="钱某",
        mobile="13800004444",
        id_type="resident",
        id_number=id_number(date(1980, 8, 8)),
        home_organization=other,
        consent_evidence="签字",
    )
    with pytest.raises(ValidationError) as exc:
        volunteer_enter(by=officer, organization=district, **data)
    assert "home_organization" in exc.value.message_dict
    # entered by a team instead, the volunteer joins it and so stays in the officer's view
    volunteer = volunteer_enter(by=officer, organization=team, **data)
    assert volunteer.user.memberships.get().organization == team
