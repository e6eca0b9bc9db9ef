"""Registration and password reset tell nothing about who is registered (issue 14 item 4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import OrganizationFactory
from tests.test_people_registration import registration
from zhiyuan.core import sms
from zhiyuan.organizations.models import Kind
from zhiyuan.people.models import PhoneVerification
from zhiyuan.people.services.volunteers import volunteer_register


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


@pytest.fixture
def district(db):
    return OrganizationFactory(name="郑东新区文明办", kind=Kind.OFFICE)


def test_a_wrong_code_does_not_say_the_id_number_or_mobile_is_registered(district):
    # given 张某明 is registered
    volunteer_register(**registration(district))
    # when someone tries his ID number and mobile with a guessed code
    with pytest.raises(ValidationError) as exc:
        volunteer_register(**{**registration(district, mobile="13800005678"), "code": "000000"})
    # then only the code is wrong: nothing says the ID number is known
    assert set(exc.value.message_dict) == {"code"}
    PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with pytest.raises(ValidationError) as exc:
        volunteer_register(
            **{**registration(district, mobile="13800001234", born=date(1993, 3, 3)), "code": "000000"}
        )
    assert set(exc.value.message_dict) == {"code"}


def test_registration_over_the_api_is_throttled_per_ip(district):
    client = Client()
    body = {
        "full_name": "张某明",
        "mobile": "13800001234",
        "code": "000000",
        "password": "zhiyuan-Volunteer-1",
        "id_type": "resident",
        "id_number": "410105199005171234",
        "home_organization_id": district.pk,
        "privacy_consent": True,
    }
    answers = [
        client.post(
            "/api/v1/register", {**body, "mobile": f"1380000{i:04d}"}, content_type="application/json"
        )
        for i in range(25)
    ]
    assert answers[0].status_code == 422
    assert answers[-1].status_code == 429 and answers[-1].json()["code"]


def test_one_ip_cannot_send_codes_to_any_number_of_mobiles(district):
    client = Client()
    answers = [
        client.post("/api/v1/register/code", {"mobile": f"1380000{i:04d}"}, content_type="application/json")
        for i in range(12)
    ]
    assert [a.status_code for a in answers[:10]] == [204] * 10
    assert answers[10].status_code == 429
    assert len(sms.MemoryBackend.outbox) == 10


def test_one_mobile_gets_at_most_ten_codes_a_day_from_many_ips(district):
    statuses = []
    for i in range(12):
        PhoneVerification.objects.all().delete()  # past the per-hour limit the database keeps
        response = Client(REMOTE_ADDR=f"10.0.0.{i}").post(
            "/api/v1/register/code", {"mobile": "13800001234"}, content_type="application/json"
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [204] * 10 and statuses[10] == 429
