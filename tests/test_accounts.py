"""Accounts that work (issue 12 item 6): the invitation, logging in by mobile / volunteer number / user
name, 忘记密码 by SMS code or e-mail link, and changing the password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db.models import F

from tests.conftest import Api
from tests.people_helpers import bulk_volunteers, last_code
from zhiyuan.accounts.models import Invitation
from zhiyuan.core import sms
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Membership
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import PhoneVerification

MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sms.MemoryBackend.outbox.clear()
    cache.clear()  # the rate-limit counters


def logged_in_as(client) -> User | None:
    response = client.get("/app/me/")
    return response.wsgi_request.user if response.wsgi_request.user.is_authenticated else None


def test_an_added_liaison_sets_a_password_logs_in_with_the_mobile_and_resets_it(
    world, client, django_capture_on_commit_callbacks
):
    # given an officer of 郑东新区文明办 who adds a 联络员 by mobile on the organisation page
    officer = Api(world.east_officer).client
    officer.force_login(world.east_officer)
    with django_capture_on_commit_callbacks(execute=True):
        added = officer.post(
            f"/app/orgs/{world.east.pk}/members/add/",
            {"full_name": "王某联", "mobile": MOBILE, "role": Role.LIAISON, "title": "联络员"},
        )
    assert added.status_code == 302
    person = User.objects.get(mobile=MOBILE)
    assert not person.has_usable_password()
    # then the officer sees the pending invitation, and the person got an SMS with a code and the page
    pending = officer.get("/app/invitations/").content.decode()
    assert "王某联" in pending and "重新发送" in pending
    invite_text = sms.MemoryBackend.outbox[-1].text
    assert "/accounts/password/set/" in invite_text and "联络员" in invite_text
    code = last_code(MOBILE)

    # when the person opens the page from the SMS and sets a password with the code
    page = client.get("/accounts/password/set/")
    assert page.status_code == 200
    done = client.post(
        "/accounts/password/set/",
        {"mobile": MOBILE, "code": code, "password": "Liaison-pass-2027", "password2": "Liaison-pass-2027"},
    )
    assert done.status_code == 302, done.content.decode()
    client.post("/accounts/logout/")
    # then they log in with the mobile
    login_page = client.get("/accounts/login/").content.decode()
    assert "/accounts/password/forgot/" in login_page  # the 忘记密码 link
    client.post("/accounts/login/", {"username": MOBILE, "password": "Liaison-pass-2027"})
    assert logged_in_as(client) == person
    assert Membership.objects.filter(user=person, organization=world.east, role=Role.LIAISON).exists()
    assert "王某联" not in officer.get("/app/invitations/").content.decode()
    client.post("/accounts/logout/")

    # and a day later, having forgotten it, they reset it through 忘记密码 with a fresh SMS code
    PhoneVerification.objects.update(created_at=F("created_at") - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post("/accounts/password/forgot/", {"login": MOBILE})
    assert asked.status_code == 302 and asked["Location"] == "/accounts/password/set/"
    prefilled = client.get("/accounts/password/set/").content.decode()
    assert MOBILE in prefilled  # kept in the session, never in the URL
    reset = client.post(
        "/accounts/password/set/",
        {
            "mobile": MOBILE,
            "code": last_code(MOBILE),
            "password": "Liaison-new-2027",
            "password2": "Liaison-new-2027",
        },
    )
    assert reset.status_code == 302
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": MOBILE, "password": "Liaison-pass-2027"})
    assert logged_in_as(client) is None  # the old password is gone
    client.post("/accounts/login/", {"username": MOBILE, "password": "Liaison-new-2027"})
    assert logged_in_as(client) == person


def test_login_by_volunteer_number_and_by_user_name(world, client):
    volunteer = bulk_volunteers(world.east, 1, prefix="登录")[0]
    volunteer.user.set_password("Volunteer-pass-1")
    volunteer.user.save()
    for login in (volunteer.number, volunteer.number.lower(), volunteer.user.username, volunteer.user.mobile):
        client.post("/accounts/login/", {"username": login, "password": "Volunteer-pass-1"})
        assert logged_in_as(client) == volunteer.user, login
        client.post("/accounts/logout/")
    wrong = client.post("/accounts/login/", {"username": volunteer.number, "password": "nope"})
    assert "账号或密码不正确" in wrong.content.decode()


def test_forgot_answers_the_same_for_an_unknown_mobile(world, client):
    bulk_volunteers(world.east, 1, prefix="已知")  # mobile 13700000000
    known = client.post("/accounts/password/forgot/", {"login": "13700000000"})
    assert known.status_code == 302
    assert [m for m in sms.MemoryBackend.outbox if m.mobile == "13700000000"]
    unknown = client.post("/accounts/password/forgot/", {"login": "13911110000"})
    assert unknown.status_code == 302 and unknown["Location"] == known["Location"]
    assert not [m for m in sms.MemoryBackend.outbox if m.mobile == "13911110000"]
    # a wrong code says nothing about the number either
    for mobile in ("13911110000", "13700000000"):
        answer = client.post(
            "/accounts/password/set/",
            {"mobile": mobile, "code": "000000", "password": "Some-pass-2027", "password2": "Some-pass-2027"},
        )
        assert "验证码不正确或已过期" in answer.content.decode()
        assert "没有账号" not in answer.content.decode()


def test_an_email_invitation_is_a_link_that_works_once(world, client, django_capture_on_commit_callbacks):
    api = Api(world.east_officer)
    with django_capture_on_commit_callbacks(execute=True):
        made = api.post(
            "/memberships",
            {"organization_id": world.east_team.pk, "role": "member", "person": {"full_name": "邮某"}},
        )
    assert made.status_code == 201
    person = User.objects.get(pk=made.json()["user_id"])
    invitation = Invitation.objects.get(user=person)
    assert invitation.channel == Invitation.Channel.NONE  # no mobile, no e-mail: the officer must add one
    person.email = "youmou@example.com"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        resent = api.post(f"/invitations/{invitation.pk}/resend", {})
    assert resent.status_code == 200, resent.content
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    form = client.post(path, {"password": "Email-pass-2027", "password2": "Email-pass-2027"})
    assert form.status_code == 302
    assert client.get(path).status_code == 404  # used up
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": person.username, "password": "Email-pass-2027"})
    assert logged_in_as(client) == person


def test_change_password_in_the_profile(world, client):
    user = world.east_officer
    client.force_login(user)
    assert "/app/me/password/" in client.get("/app/me/").content.decode()
    bad = client.post(
        "/app/me/password/",
        {"old_password": "wrong", "new_password": "short", "new_password2": "short"},
    )
    text = bad.content.decode()
    assert "原密码不正确" in text
    assert not re.search(r"This password|at least|too short|This field", text)  # Chinese only
    ok = client.post(
        "/app/me/password/",
        {
            "old_password": "pass-word-123",
            "new_password": "Officer-new-2027",
            "new_password2": "Officer-new-2027",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Officer-new-2027")
    assert logged_in_as(client) == user  # still logged in on this device


def test_short_passwords_are_refused_in_chinese(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Api(world.east_officer).post(
            "/memberships",
            {
                "organization_id": world.east.pk,
                "role": "liaison",
                "person": {"full_name": "短某", "mobile": MOBILE},
            },
        )
    answer = client.post(
        "/accounts/password/set/",
        {"mobile": MOBILE, "code": last_code(MOBILE), "password": "12345678", "password2": "12345678"},
    )
    text = answer.content.decode()
    assert "密码" in text and not re.search(r"[Tt]his password|entirely numeric|too common", text)


def test_the_api_sets_and_changes_passwords(world, django_capture_on_commit_callbacks):
    from django.test import Client

    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        Api(world.east_officer).post(
            "/memberships",
            {
                "organization_id": world.east.pk,
                "role": "liaison",
                "person": {"full_name": "接某", "mobile": MOBILE},
            },
        )
    set_ = anonymous.post(
        "/api/v1/accounts/password/code",
        {"mobile": MOBILE, "code": last_code(MOBILE), "password": "Api-pass-2027"},
        content_type="application/json",
    )
    assert set_.status_code == 204, set_.content
    person = User.objects.get(mobile=MOBILE)
    changed = Api(person).post(
        "/me/password", {"old_password": "Api-pass-2027", "new_password": "Api-new-2027"}
    )
    assert changed.status_code == 204
    forgot = anonymous.post(
        "/api/v1/accounts/password/forgot", {"login": "13800009999"}, content_type="application/json"
    )
    assert forgot.status_code == 202 and forgot.json()["channel"] == "sms"
    listed = Api(world.east_officer).get("/invitations?pending=false").json()
    assert listed["count"] == 1 and listed["items"][0]["accepted_at"]
    assert Api(world.west_officer).get("/invitations?pending=false").json()["count"] == 0


def test_sms_codes_are_limited_per_ip_and_per_mobile(world, client):
    answers = [
        client.post("/accounts/password/forgot/", {"login": f"139000{i:05d}"}).status_code for i in range(12)
    ]
    assert answers[:5] == [302] * 5
    assert 429 in answers  # one IP cannot send codes to any number of mobiles


@pytest.mark.parametrize("size", [2, 20])
def test_the_invitation_lists_cost_the_same_queries_at_any_size(world, size, django_assert_max_num_queries):
    people = User.objects.bulk_create(
        [
            User(username=f"yq{i}", full_name=f"邀某{i}", mobile=f"1391000{i:04d}", password="!")
            for i in range(size)
        ]
    )
    Invitation.objects.bulk_create(
        Invitation(user=p, organization=world.east_team, role=Role.MEMBER, channel=Invitation.Channel.SMS)
        for p in people
    )
    api = Api(world.east_officer)
    api.client.force_login(world.east_officer)
    with django_assert_max_num_queries(12):
        page = api.client.get("/app/invitations/")
    assert page.content.decode().count("重新发送</button>") == size
    with django_assert_max_num_queries(8):
        listed = api.get("/invitations")
    assert listed.json()["count"] == size


def test_forgot_by_email_sends_a_link_only_to_a_known_address(world, client):
    world.east_officer.email = "officer@example.com"
    world.east_officer.save()
    known = client.post("/accounts/password/forgot/", {"login": "Officer@Example.com"})
    unknown = client.post("/accounts/password/forgot/", {"login": "nobody@example.com"})
    assert known.content.decode().count("如果该电子邮箱已登记") == 1
    assert known.status_code == unknown.status_code == 200
    assert "如果该电子邮箱已登记" in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    client.post(link, {"password": "Officer-mail-2027", "password2": "Officer-mail-2027"})
    world.east_officer.refresh_from_db()
    assert world.east_officer.check_password("Officer-mail-2027")
