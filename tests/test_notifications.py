"""Notifications (issue 7 item 4): one `notify` interface, the inbox always, e-mail and SMS as background
deliveries that are retried with backoff and stay recorded when they fail; a key is delivered once per person."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory
from zhiyuan.core import notify, sms
from zhiyuan.notifications import deliveries
from zhiyuan.notifications.models import Delivery, Notification

WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_worker() -> None:
    """The real `db_worker` in batch mode: every ready task, then exit (as `make run`'s worker runs them)."""
    saved = {s: signal.getsignal(s) for s in WORKER_SIGNALS}
    try:
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


class FlakySms:
    """An SMS gateway that is down for the first `down` messages."""

    down = 0
    sent: list[str] = []

    def send(self, *, mobile: str, text: str) -> None:
        if FlakySms.down > 0:
            FlakySms.down -= 1
            raise sms.SmsError("网关超时")
        FlakySms.sent.append(text)


@pytest.fixture
def flaky(settings):
    settings.ZHIYUAN_SMS_BACKEND = "tests.test_notifications.FlakySms"
    settings.ZHIYUAN_NOTIFY_RETRY_SECONDS = 0  # retries become due at once, so one batch worker runs them
    FlakySms.down, FlakySms.sent = 0, []
    return FlakySms


@pytest.fixture
def memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()
    return sms.MemoryBackend.outbox


# --- notify: inbox rows, channels, keys -----------------------------------------------------------------


def test_notify_writes_the_inbox_and_queues_deliveries_only_after_commit(
    db, memory_sms, django_capture_on_commit_callbacks
):
    # given one person with an e-mail address and a mobile, and one with neither
    both = UserFactory(email="wang@example.cn", mobile="13900001111")
    bare = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        told = notify.notify(
            users=[both, bare, both], subject="班次提醒", body="明天 8:00 到岗", url="/app/shifts/1/"
        )
    # then each is in the inbox once, and only the reachable one has outside deliveries
    assert told == 2
    assert Notification.objects.filter(user=both).count() == 1
    assert Notification.objects.filter(user=bare).count() == 1
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms"]
    # and nothing is queued for the worker until the transaction commits
    assert DBTaskResult.objects.count() == 0 and len(callbacks) == 1
    callbacks[0]()
    assert DBTaskResult.objects.count() == 2


def test_channels_narrow_the_outside_deliveries_and_unknown_ones_are_refused(db):
    person = UserFactory(email="li@example.cn", mobile="13900002222")
    notify.notify(users=[person], subject="仅站内", body="", channels=())
    notify.notify(users=[person], subject="仅邮件", body="", channels=["inbox", "email"])
    assert list(Delivery.objects.values_list("notification__subject", "channel")) == [("仅邮件", "email")]
    with pytest.raises(ValueError, match="wechat"):
        notify.notify(users=[person], subject="x", body="", channels=["wechat"])


def test_a_key_reaches_each_person_once_ever(db):
    first, second = UserFactory(email="a@example.cn"), UserFactory()
    assert notify.notify(users=[first], subject="提醒", body="", key="shift:1:before:120m") == 1
    # a second run tells only the one not yet told, and nobody twice
    assert notify.notify(users=[first, second], subject="提醒", body="", key="shift:1:before:120m") == 1
    assert notify.notify(users=[first, second], subject="提醒", body="", key="shift:1:before:120m") == 0
    assert Notification.objects.filter(key="shift:1:before:120m").count() == 2
    assert Delivery.objects.count() == 1


def test_the_database_refuses_a_second_row_for_the_same_key_and_person(db):
    person = UserFactory()
    Notification.objects.create(user=person, subject="a", key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=person, subject="b", key="k")
    # without a key there is no such limit
    Notification.objects.create(user=person, subject="c")
    Notification.objects.create(user=person, subject="d")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_callers_racing_on_one_key_tell_the_person_once():
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL; the constraint itself is tested above")
    person = UserFactory(email="race@example.cn")
    barrier = threading.Barrier(4)
    results: list[int] = []
    errors: list[str] = []

    def call() -> None:
        try:
            barrier.wait()
            results.append(notify.notify(users=[person], subject="提醒", body="", key="race"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(results) == [0, 0, 0, 1]
    assert Notification.objects.filter(user=person, key="race").count() == 1
    assert Delivery.objects.count() == 1


def test_existing_callers_keep_working(db, caplog):
    # emergency activations call notify(users=, subject=, body=) from on_commit
    person = UserFactory(full_name="王红彬")
    caplog.set_level("INFO", logger="zhiyuan.notify")
    assert notify.notify(users=iter([person]), subject="应急预案启动", body="请立即到岗") == 1
    assert "应急预案启动" in caplog.text and "王红彬" not in caplog.text  # the log carries no names


# --- deliveries through the real worker ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_email_and_sms_once(memory_sms):
    person = UserFactory(email="zhang@example.cn", mobile="13900003333")
    notify.notify(users=[person], subject="上报提醒：简报", body="今天15:30前提交", url="/app/reports/")
    run_worker()
    run_worker()  # a restarted worker finds nothing left to send
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    assert mail.outbox[0].subject == "上报提醒：简报"
    assert "http://127.0.0.1:8000/app/reports/" in mail.outbox[0].body
    assert [(m.mobile, m.text) for m in memory_sms] == [
        ("13900003333", "【志愿】上报提醒：简报：今天15:30前提交 http://127.0.0.1:8000/app/reports/")
    ]  # the SMS carries the absolute link too: it is where the person acts
    assert "/app/inbox/preferences/" in mail.outbox[0].body  # and the e-mail says where to unsubscribe
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_retried_with_backoff_and_then_sent(flaky):
    person = UserFactory(mobile="13900004444")
    flaky.down = 2
    notify.notify(users=[person], subject="班次提醒", body="明天见", channels=["sms"])
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "SmsError: 网关超时")
    assert flaky.sent == ["【志愿】班次提醒：明天见"]


@pytest.mark.django_db(transaction=True)
def test_a_delivery_that_keeps_failing_stays_recorded_as_failed(flaky, settings):
    settings.ZHIYUAN_NOTIFY_MAX_ATTEMPTS = 3
    person = UserFactory(mobile="13900005555")
    flaky.down = 99
    notify.notify(users=[person], subject="班次提醒", body="明天见", channels=["sms"])
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert delivery.last_error == "SmsError: 网关超时"
    assert Notification.objects.filter(user=person).exists()  # the inbox still has it
    run_worker()
    assert Delivery.objects.get().attempts == 3  # given up: not retried for ever


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_for_its_backoff(flaky, settings):
    settings.ZHIYUAN_NOTIFY_RETRY_SECONDS = 60
    person = UserFactory(mobile="13900006666")
    flaky.down = 1
    notify.notify(users=[person], subject="班次提醒", body="", channels=["sms"])
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert 55 <= (delivery.next_attempt_at - delivery.updated_at).total_seconds() <= 65
    # the retry is queued for later, so the batch worker left it alone
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after == delivery.next_attempt_at
    assert flaky.sent == []


def test_a_duplicate_task_does_not_send_twice(db, memory_sms):
    person = UserFactory(mobile="13900007777")
    notify.notify(users=[person], subject="x", body="y", channels=["sms"])
    delivery = Delivery.objects.get()
    assert deliveries.attempt(delivery.pk) == "sent"
    assert deliveries.attempt(delivery.pk) == "skipped"
    assert len(memory_sms) == 1


def test_a_person_without_an_address_any_more_fails_without_retrying(db):
    person = UserFactory(email="gone@example.cn")
    notify.notify(users=[person], subject="x", body="y", channels=["email"])
    person.email = ""
    person.save()
    delivery = Delivery.objects.get()
    assert deliveries.attempt(delivery.pk) == "failed"
    assert Delivery.objects.get().last_error == "Undeliverable: 没有电子邮件地址"


def test_the_sweep_requeues_lost_deliveries_and_gives_up_on_half_sent_ones(db):
    person = UserFactory(email="x@example.cn", mobile="13900008888")
    notify.notify(users=[person], subject="x", body="y")  # on_commit never fires here: the tasks are "lost"
    email, text = Delivery.objects.order_by("channel")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk=email.pk).update(next_attempt_at=an_hour_ago)
    Delivery.objects.filter(pk=text.pk).update(status="sending", updated_at=an_hour_ago)
    assert deliveries.sweep() == "re-enqueued 1, gave up 1"
    assert DBTaskResult.objects.get().args_kwargs["args"] == [email.pk]
    assert Delivery.objects.get(pk=text.pk).status == "failed"


# --- the inbox page and API ------------------------------------------------------------------------------


def _inbox_for(user, n: int, read: int = 0) -> list[Notification]:
    rows = Notification.objects.bulk_create(
        Notification(user=user, subject=f"通知{i}", body="内容", url="/app/") for i in range(n)
    )
    Notification.objects.filter(pk__in=[r.pk for r in rows[:read]]).update(read_at=timezone.now())
    return rows


def test_inbox_page_lists_unread_first_and_marks_read(world):
    me, other = UserFactory(), UserFactory()
    _inbox_for(me, 2, read=1)  # 通知0 read, 通知1 unread
    newest = Notification.objects.create(user=me, subject="最新", url="/app/shifts/")
    theirs = Notification.objects.create(user=other, subject="别人的")
    client = Client()
    client.force_login(me)
    page = client.get("/app/inbox/")
    html = page.content.decode()
    assert page.status_code == 200 and "别人的" not in html
    assert html.index("最新") < html.index("通知1") < html.index("通知0")  # unread first, then newest
    assert 'hx-get="/app/inbox/badge/"' in html  # the navigation fetches its badge after loading
    assert (
        '<span class="badge warn" aria-label="未读">2</span>'
        in client.get("/app/inbox/badge/").content.decode()
    )
    # opening one marks it read and follows its link
    opened = client.post(f"/app/inbox/{newest.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/app/shifts/"
    assert Notification.objects.get(pk=newest.pk).read_at is not None
    # someone else's notification is not found, and stays unread
    assert client.post(f"/app/inbox/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.post("/app/inbox/read-all/").status_code == 302
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_inbox_page_empty_state_and_link_off_site_is_not_followed(world):
    me = UserFactory()
    client = Client()
    client.force_login(me)
    assert "还没有通知" in client.get("/app/inbox/").content.decode()
    evil = Notification.objects.create(user=me, subject="x", url="https://evil.example/")
    assert client.post(f"/app/inbox/{evil.pk}/read/", {"open": "1"})["Location"] == "/app/inbox/"


@pytest.mark.parametrize("rows", [3, 30])
def test_inbox_page_and_navigation_badge_take_constant_queries(world, rows, django_assert_num_queries):
    me = UserFactory()
    _inbox_for(me, rows, read=1)
    client = Client()
    client.force_login(me)
    # session, user, count, the role menu's grants (one query, cached per request), the page
    with django_assert_num_queries(5):
        assert client.get("/app/inbox/").status_code == 200
    # session, user, the one COUNT (the badge is a fragment: no menu, so no grants)
    with django_assert_num_queries(3):
        badge = client.get("/app/inbox/badge/").content.decode()
    assert f">{rows - 1}</span>" in badge


def test_the_badge_is_empty_when_nothing_is_unread_or_signed_out(world):
    me = UserFactory()
    client = Client()
    assert client.get("/app/inbox/badge/").status_code == 204
    client.force_login(me)
    assert "badge warn" not in client.get("/app/inbox/badge/").content.decode()


def test_inbox_api_lists_and_marks_read_only_the_users_own(world, api_as):
    me, other = UserFactory(), UserFactory()
    _inbox_for(me, 3, read=1)
    theirs = Notification.objects.create(user=other, subject="别人的")
    api = api_as(me)
    listed = api.get("/me/notifications?limit=2").json()
    assert listed["count"] == 3 and len(listed["items"]) == 2
    assert [i["read_at"] for i in listed["items"]] == [None, None]
    assert api.get("/me/notifications?unread=true").json()["count"] == 2
    assert api.get("/me/notifications/unread").json() == {"unread": 2}
    mine = listed["items"][0]["id"]
    marked = api.post(f"/me/notifications/{mine}/read", {})
    assert marked.status_code == 200 and marked.json()["read_at"] is not None
    # IDOR: another user's notification is a 404 and is not touched
    assert api.post(f"/me/notifications/{theirs.pk}/read", {}).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert api.post("/me/notifications/read-all", {}).json() == {"marked": 1}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.parametrize("rows", [3, 40])
def test_inbox_api_takes_constant_queries(world, api_as, rows, django_assert_max_num_queries):
    me = UserFactory()
    _inbox_for(me, rows)
    api = api_as(me)
    with django_assert_max_num_queries(5):
        assert len(api.get("/me/notifications").json()["items"]) == rows
