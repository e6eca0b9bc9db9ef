"""求助 (issue 8 §4): a person on a phone, not logged in, asks for help and later sees its status with the
code; requests are routed by place and kind, handled by the routed organisation only, rate-limited per IP
and per phone, and nobody else's data is ever shown."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory
from zhiyuan.campaigns.models import Campaign, Station
from zhiyuan.community.models import HelpKind, HelpRequest, HelpRoute
from zhiyuan.community.services import help as services
from zhiyuan.core import access
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role

PHONE_UA = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148"}
S = HelpRequest.Status


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def station(world):
    return Station.objects.create(
        name="郑州火车站东广场服务站",
        place="郑州火车站",
        sub_location="东广场",
        responsible_office=world.east,
    )


def code_on(page) -> str:
    match = re.search(r'data-testid="help-code">([A-Z0-9]+)<', page.content.decode())
    assert match, page.content.decode()[:500]
    return match.group(1)


def test_a_person_on_a_phone_files_a_request_and_later_sees_its_status_with_the_code(
    world, station, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("INFO", logger="zhiyuan.notify")
    phone = Client(**PHONE_UA)
    # given the help page, which holds a form and so is never cached
    form = phone.get("/help/")
    assert form.status_code == 200 and "在线求助" in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    # when they ask for help buying a ticket home at the station
    with django_capture_on_commit_callbacks(execute=True):
        filed = phone.post(
            "/help/",
            {
                "kind": "tickets",
                "description": "想买1月28日回信阳的火车票，不会网上订票",
                "phone": "138 1234 5678",
                "station": station.pk,
            },
        )
    # then they get a code, on a page no cache keeps
    assert filed.status_code == 201 and "no-store" in filed["Cache-Control"]
    code = code_on(filed)
    r = HelpRequest.objects.get(code=code)
    assert (r.organization, r.routed_by, r.filed_by) == (world.east, "station", None)
    # and the east office's officer was told (after commit)
    from zhiyuan.notifications.models import Notification

    told = list(Notification.objects.filter(user=world.east_officer).values_list("subject", "body"))
    assert any("新的求助" in subject and code in body for subject, body in told)
    assert not any("13812345678" in body or "信阳" in body for _s, body in told)
    assert not any(
        "13812345678" in m or "信阳" in m for m in caplog.messages
    )  # personal data is never logged

    # when the east officer takes it up and resolves it
    services.help_request_advance(
        by=world.east_officer, help_request=r, status=S.IN_PROGRESS, note="已联系，约好今天下午到站点"
    )
    services.help_request_advance(
        by=world.east_officer, help_request=r, status=S.RESOLVED, note="已帮助订到K1234次车票"
    )
    # then the person, later, sees the status with the code and the phone's last four digits
    later = Client(**PHONE_UA)
    status = later.post("/help/status/", {"code": code.lower(), "last4": "5678"})
    body = status.content.decode()
    assert status.status_code == 200 and "no-store" in status["Cache-Control"]
    assert "已办结" in body and "已帮助订到K1234次车票" in body
    assert "138****5678" in body and "13812345678" not in body  # masked
    assert world.east_officer.display_name not in body  # who handled it stays internal


def test_wrong_digits_show_nothing_and_say_the_same_as_a_wrong_code(world, station):
    r = services.help_request_file(
        kind="tickets", description="订票", phone_number="13812345678", station=station
    )
    other = Client()
    wrong_digits = other.post("/help/status/", {"code": r.code, "last4": "0000"})
    wrong_code = other.post("/help/status/", {"code": "ZZZZZZZZ", "last4": "5678"})
    assert wrong_digits.status_code == wrong_code.status_code == 404
    assert "订票" not in wrong_digits.content.decode()
    assert "查询码或电话后四位不正确" in wrong_digits.content.decode()


def test_status_look_ups_are_limited_per_ip(world, settings):
    settings.ZHIYUAN_STATUS_RATE_PER_IP = (3, 600)
    c = Client()
    codes = [c.post("/help/status/", {"code": f"ABCDEFG{i}", "last4": "1234"}).status_code for i in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_filing_is_limited_per_phone_and_per_ip_with_a_clear_message(world, settings):
    settings.ZHIYUAN_HELP_RATE_PER_PHONE = (2, 3600)
    settings.ZHIYUAN_HELP_RATE_PER_IP = (4, 3600)
    c = Client()
    data = {"kind": "information", "description": "几点有去周口的车", "phone": "13812345678"}
    spelled = [data, {**data, "phone": "+86 138-1234-5678"}, {**data, "phone": "138 1234 5678"}]
    assert [c.post("/help/", d).status_code for d in spelled] == [201, 201, 429]  # however it is written
    limited = c.post("/help/", data)
    assert "提交次数过多" in limited.content.decode() or "提交过于频繁" in limited.content.decode()
    # another phone from the same address: the IP limit (4 attempts) is reached next
    other = {**data, "phone": "13912345678"}
    assert c.post("/help/", other).status_code == 429
    assert "提交过于频繁" in c.post("/help/", other).content.decode()
    assert HelpRequest.objects.count() == 2


def test_bad_input_reports_every_field_in_chinese_and_files_nothing(world):
    page = Client().post("/help/", {"kind": "tickets", "description": "", "phone": "12345"})
    body = page.content.decode()
    assert page.status_code == 422
    assert "这个字段是必填项" in body or "必填" in body
    assert (
        "有效的手机号码"
        in Client().post("/help/", {"kind": "tickets", "description": "x", "phone": "12345"}).content.decode()
    )
    assert HelpRequest.objects.count() == 0


def test_routing_kind_rule_then_station_then_the_campaigns_office(world, station):
    labour = OrganizationFactory(name="市人社局（演示）", kind=Kind.AGENCY, parent=world.city)
    HelpRoute.objects.create(kind=HelpKind.WAGES, organization=labour)
    today = timezone.localdate()
    Campaign.objects.create(
        slug="c",
        title="春运",
        organizer=world.west,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=9),
    )
    wages = services.help_request_file(
        kind="wages", description="工资被拖欠", phone_number="13812345678", station=station
    )
    at_station = services.help_request_file(
        kind="medical", description="头晕", phone_number="13812345679", station=station
    )
    nowhere = services.help_request_file(kind="other", description="找老乡", phone_number="13812345670")
    assert (wages.organization, wages.routed_by) == (labour, "kind")
    assert (at_station.organization, at_station.routed_by) == (world.east, "station")
    assert (nowhere.organization, nowhere.routed_by) == (world.west, "campaign")


def test_only_the_routed_organisation_handles_and_others_do_not_even_see_it(world, station):
    r = services.help_request_file(
        kind="tickets", description="订票", phone_number="13812345678", station=station
    )
    west = Client()
    west.force_login(world.west_officer)
    assert west.get(f"/app/community/help/{r.pk}/").status_code == 404
    assert (
        west.post(f"/app/community/help/{r.pk}/advance/", {"status": "resolved", "note": "x"}).status_code
        == 404
    )
    assert r.code not in west.get("/app/community/help/").content.decode()
    # a grid head of the east office sees it, with the phone masked, but may not handle it
    head = MembershipFactory(organization=world.east, role=Role.GRID_HEAD).user
    c = Client()
    c.force_login(head)
    page = c.get(f"/app/community/help/{r.pk}/")
    assert page.status_code == 200 and "138****5678" in page.content.decode()
    assert (
        c.post(f"/app/community/help/{r.pk}/advance/", {"status": "resolved", "note": "x"}).status_code == 403
    )
    with pytest.raises(access.PermissionDenied):
        services.help_request_advance(by=head, help_request=r, status=S.RESOLVED, note="x")
    # the east officer handles it through the page
    east = Client()
    east.force_login(world.east_officer)
    done = east.post(f"/app/community/help/{r.pk}/advance/", {"status": "in_progress", "note": "已电话联系"})
    assert done.status_code == 302
    r.refresh_from_db()
    assert r.status == S.IN_PROGRESS and r.in_progress_at and r.handler == world.east_officer
    assert r.history.first().history_user == world.east_officer


def test_resolving_needs_a_result_and_a_resolved_request_stays_closed(world, station):
    from django.core.exceptions import ValidationError

    from zhiyuan.core.errors import Refused

    r = services.help_request_file(
        kind="tickets", description="订票", phone_number="13812345678", station=station
    )
    with pytest.raises(ValidationError) as exc:
        services.help_request_advance(by=world.east_officer, help_request=r, status=S.RESOLVED, note="")
    assert "note" in exc.value.message_dict
    services.help_request_advance(by=world.east_officer, help_request=r, status=S.RESOLVED, note="已办结")
    with pytest.raises(Refused):
        services.help_request_advance(
            by=world.east_officer, help_request=r, status=S.IN_PROGRESS, note="再看看"
        )


def test_a_hotline_operator_files_on_a_callers_behalf_and_is_recorded(world, station):
    c = Client()
    c.force_login(world.east_officer)
    res = c.post(
        "/app/community/help/new/",
        {"kind": "legal", "description": "来电咨询劳动合同", "phone": "0371-67186891", "station": station.pk},
    )
    assert res.status_code == 302
    r = HelpRequest.objects.get()
    assert r.filed_by == world.east_officer and r.phone == "0371-67186891"
    assert r.phone_masked == "0371-****6891"


def test_api_public_filing_and_status_and_officer_idor(world, station, api_as):
    anon = Client()
    filed = anon.post(
        "/api/v1/help-requests",
        {"kind": "medical", "description": "孩子发烧", "phone": "13812345678", "station_id": station.pk},
        content_type="application/json",
    )
    assert filed.status_code == 201
    code = filed.json()["code"]
    bad = anon.post(
        "/api/v1/help-requests",
        {"kind": "x", "description": "", "phone": "1"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {
        "kind",
        "description",
        "phone",
    }
    status = anon.post(
        "/api/v1/help-requests/status", {"code": code, "last4": "5678"}, content_type="application/json"
    )
    assert (
        status.status_code == 200
        and status.json()["phone_masked"] == "138****5678"
        and status.json()["status"] == "accepted"
    )
    assert (
        anon.post(
            "/api/v1/help-requests/status", {"code": code, "last4": "1111"}, content_type="application/json"
        ).status_code
        == 404
    )
    pk = HelpRequest.objects.get(code=code).pk
    west, east = api_as(world.west_officer), api_as(world.east_officer)
    assert west.get(f"/community/help-requests/{pk}").status_code == 404
    assert (
        west.post(f"/community/help-requests/{pk}/advance", {"status": "resolved", "note": "x"}).status_code
        == 404
    )
    assert west.get("/community/help-requests").json()["count"] == 0
    assert east.get("/community/help-requests").json()["items"][0]["phone"] == "13812345678"
    done = east.post(f"/community/help-requests/{pk}/advance", {"status": "resolved", "note": "已送医"})
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert anon.get("/api/v1/community/help-requests").status_code == 401


@pytest.mark.parametrize("size", [2, 12])
def test_the_queue_costs_the_same_at_any_size(world, station, size, django_assert_num_queries, api_as):
    for i in range(size):
        services.help_request_file(
            kind="tickets", description="订票", phone_number=f"1381234{i:04d}", station=station
        )
    c = Client()
    c.force_login(world.east_officer)
    with django_assert_num_queries(5):  # session, user, grants, count, page
        assert c.get("/app/community/help/").status_code == 200
    east = api_as(world.east_officer)
    with django_assert_num_queries(5):  # token, its last use, grants, count, page
        assert east.get("/community/help-requests").json()["count"] == size
