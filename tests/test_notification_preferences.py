"""Preferences (issue 15 item 2): in-app always; e-mail and SMS muted per kind except emergencies; a daily
digest instead of single messages; SMS quiet hours; and `handoff_notify` reading the hand-off table."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import UserFactory
from zhiyuan.notifications.handoffs import TABLE, UnknownHandoff, handoff_notify
from zhiyuan.notifications.models import Delivery, Kind, Notification, Preference
from zhiyuan.notifications.preferences import preference_set
from zhiyuan.notifications.quiet import quiet_until
from zhiyuan.notifications.services import notifications_create

pytestmark = pytest.mark.django_db


def person(**kw):
    user = UserFactory(email="li@example.cn", **kw)
    user.mobile = f"1390000{user.pk:04d}"
    user.save(update_fields=["mobile"])
    return user


def channels(user) -> set[str]:
    return set(Delivery.objects.filter(notification__user=user).values_list("channel", flat=True))


def test_a_muted_channel_is_skipped_for_that_kind_only():
    who = person()
    preference_set(by=who, muted={"reports": ["sms"]}, digest=False, quiet_from=None, quiet_to=None)
    notifications_create(users=[who], subject="退回", body="", kind=Kind.REPORTS)
    assert channels(who) == {"email"}
    notifications_create(users=[who], subject="候补转正", body="", kind=Kind.SHIFTS)
    assert Delivery.objects.filter(notification__subject="候补转正").count() == 2


def test_emergencies_cannot_be_muted_and_ignore_digest_and_quiet_hours():
    who = person()
    with pytest.raises(ValidationError):
        preference_set(by=who, muted={"emergency": ["sms"]}, digest=False, quiet_from=None, quiet_to=None)
    Preference.objects.create(
        user=who,
        muted={"emergency": ["sms", "email"]},
        digest=True,
        quiet_from=time(0, 0),
        quiet_to=time(23, 59),
    )
    notifications_create(users=[who], subject="应急预案启动", body="", kind=Kind.EMERGENCY)
    n = Notification.objects.get(user=who)
    assert not n.held
    assert set(n.deliveries.values_list("channel", flat=True)) == {"email", "sms"}
    assert all(d.next_attempt_at <= n.created_at + timedelta(seconds=1) for d in n.deliveries.all())


def test_a_digest_holds_the_outside_channels_but_the_inbox_has_it():
    who = person()
    preference_set(by=who, muted={}, digest=True, quiet_from=None, quiet_to=None)
    notifications_create(users=[who], subject="采用", body="", kind=Kind.REPORTS)
    n = Notification.objects.get(user=who)
    assert n.held and channels(who) == set()


def test_quiet_hours_push_an_sms_to_their_end_and_leave_email_alone():
    who = person()
    preference_set(by=who, muted={}, digest=False, quiet_from=time(0, 0), quiet_to=time(23, 59))
    notifications_create(users=[who], subject="换班已批准", body="", kind=Kind.SHIFTS)
    sms = Delivery.objects.get(notification__user=who, channel="sms")
    email = Delivery.objects.get(notification__user=who, channel="email")
    assert sms.next_attempt_at > email.next_attempt_at


@pytest.mark.parametrize(
    ("now", "until"),
    [
        (datetime(2026, 12, 4, 14, 30, tzinfo=UTC), datetime(2026, 12, 4, 23, 0, tzinfo=UTC)),  # 22:30 BJ
        (datetime(2026, 12, 4, 20, 0, tzinfo=UTC), datetime(2026, 12, 4, 23, 0, tzinfo=UTC)),  # 04:00 BJ
        (datetime(2026, 12, 4, 4, 0, tzinfo=UTC), None),  # 12:00 BJ
    ],
)
def test_quiet_hours_over_midnight_in_beijing_time(now, until):
    overnight = Preference(quiet_from=time(22, 0), quiet_to=time(7, 0))
    assert quiet_until(overnight, now) == until


def test_quiet_hours_need_both_ends():
    with pytest.raises(ValidationError) as e:
        preference_set(by=person(), muted={}, digest=False, quiet_from=time(22, 0), quiet_to=None)
    assert "quiet_to" in e.value.error_dict


def test_handoff_notify_fills_the_row_and_links_the_page():
    who = person()
    told = handoff_notify(
        event="report.returned",
        recipients=[who, who, None],
        context={"submission_id": 7, "title": "每日简报", "period": "2019-08-05", "comment": "请补充图片"},
    )
    n = Notification.objects.get(user=who)
    assert told == 1 and n.event == "report.returned" and n.kind == Kind.REPORTS
    assert n.subject == "上报被退回：每日简报" and "请补充图片" in n.body
    assert n.url == "/app/reports/submissions/7/"


def test_an_unknown_handoff_or_a_missing_placeholder_fails_loudly():
    with pytest.raises(UnknownHandoff):
        handoff_notify(event="report.lost", recipients=[person()], context={})
    with pytest.raises(KeyError):
        handoff_notify(event="report.returned", recipients=[person()], context={"submission_id": 1})


def test_every_row_names_its_kind_and_a_page():
    assert len({h.event for h in TABLE}) == len(TABLE)
    for h in TABLE:
        assert h.kind in Kind.values and h.link and h.title


def test_the_preferences_page_mutes_by_unticking(client: Client):
    who = person()
    client.force_login(who)
    page = client.get("/app/inbox/preferences/")
    assert page.status_code == 200 and "上报与审核" in page.content.decode()
    ticked = {f"{k}:{c}": "on" for k in Kind.values for c in ("email", "sms")}
    ticked.pop("reports:sms")
    r = client.post("/app/inbox/preferences/", {**ticked, "quiet_from": "22:00", "quiet_to": "07:00"})
    assert r.status_code == 302
    p = Preference.objects.get(user=who)
    assert p.muted == {"reports": ["sms"]} and p.quiet_from == time(22, 0)


def test_the_preferences_api_round_trips(api_as):
    who = person()
    api = api_as(who)
    r = api._call("put", "/me/notification-preferences", {"muted": {"shifts": ["email"]}, "digest": True})
    assert r.status_code == 200, r.content
    body = api.get("/me/notification-preferences").json()
    shifts = next(k for k in body["kinds"] if k["kind"] == "shifts")
    assert body["digest"] is True and shifts["email"] is False and shifts["sms"] is True
    bad = api._call("put", "/me/notification-preferences", {"muted": {"emergency": ["sms"]}})
    assert bad.status_code == 422


def test_the_digest_job_sends_one_message_for_the_held_ones_and_releases_them():
    from zhiyuan.notifications.jobs.digest import digest_send

    who, other = person(), person()
    preference_set(by=who, muted={}, digest=True, quiet_from=None, quiet_to=None)
    for subject in ("采用：简报", "退回：周总结"):
        notifications_create(users=[who, other], subject=subject, body="", kind=Kind.REPORTS)
    assert digest_send() == "1 digests"
    digest = Notification.objects.get(user=who, kind=Kind.DIGEST)
    assert "2 条" in digest.subject and "退回：周总结" in digest.body and digest.url == "/app/inbox/"
    assert channels(who) == {"email", "sms"}  # the digest itself goes out
    assert not Notification.objects.filter(held=True).exists()
    assert digest_send() == "0 digests"  # run again: nothing left to gather
