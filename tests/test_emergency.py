"""Emergency readiness (seed 000 §三(一)4): an 应急志愿服务队 paired one-to-one with a station, its 预案,
activation with members notified and confirming, closing with a note; incidents escalated to the
responsible office and resolved. Services first, then the API."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import Api
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.test_images import jpeg, png_with_gps, upload
from tests.test_stations import leader_of, make_station, member_of
from zhiyuan.campaigns.models import Activation, ActivationResponse, Incident
from zhiyuan.campaigns.services import emergency as services
from zhiyuan.core import access, notify
from zhiyuan.core.errors import Refused
from zhiyuan.notifications.models import Delivery
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def told(monkeypatch):
    """What `core.notify` was asked to send: (subject, body, usernames); the link in `told.urls`."""

    class Sent(list):
        urls: list[str]

    sent = Sent()
    real = notify.notify

    def record(*, users, subject, body, **kw):
        users = list(users)
        sent.append((subject, body, sorted(u.username for u in users)))
        record.urls.append(kw.get("url", ""))
        return real(users=users, subject=subject, body=body, **kw)

    record.urls = []

    monkeypatch.setattr(notify, "notify", record)
    sent.urls = record.urls  # type: ignore[attr-defined]
    return sent


@pytest.fixture
def station(world):
    return make_station(world)


@pytest.fixture
def squad(world):
    """郑州市党员志愿服务支队's emergency team for the station, with a squad below it."""
    team = OrganizationFactory(name="党员应急志愿服务队", kind=Kind.TEAM, parent=world.east)
    below = OrganizationFactory(name="党员应急一分队", kind=Kind.TEAM, parent=team)
    captain = MembershipFactory(organization=team, role=Role.LEADER, user__username="captain").user
    MembershipFactory(organization=team, role=Role.VOLUNTEER, user=captain)  # two roles, told once
    MembershipFactory(organization=below, role=Role.VOLUNTEER, user__username="below")
    MembershipFactory(organization=world.east_team, role=Role.VOLUNTEER, user__username="elsewhere")
    return team


@pytest.fixture
def plan(world, station, squad):
    services.pairing_set(by=world.east_officer, station=station, team=squad)
    return services.plan_create(
        by=world.east_officer,
        station=station,
        trigger="恶劣天气导致交通中断",
        steps="1. 应急队30分钟内到站；2. 引导滞留旅客至候车区；3. 发放热水和御寒物品",
        contacts="王红彬 67186891",
        supplies="热水、棉大衣、手电",
    )


# --- pairing and plans ------------------------------------------------------------------------------------


def test_pairing_is_one_to_one(world, station, squad):
    services.pairing_set(by=world.east_officer, station=station, team=squad)
    other = make_station(world, name="郑州火车东站站点")
    with pytest.raises(Refused, match="已与“郑州火车站东广场“文明使者”志愿服务站”结对"):
        services.pairing_set(by=world.east_officer, station=other, team=squad)
    with pytest.raises(ValidationError) as caught:
        services.pairing_set(by=world.east_officer, station=other, team=world.west_team)
    assert caught.value.message_dict == {"team": ["所选队伍不存在。"]}


def test_a_plan_needs_a_pairing_a_trigger_and_steps(world, station, squad):
    with pytest.raises(Refused, match="请先为站点结对应急志愿服务队"):
        services.plan_create(by=world.east_officer, station=station, trigger="大雪", steps="到岗")
    services.pairing_set(by=world.east_officer, station=station, team=squad)
    with pytest.raises(ValidationError) as caught:
        services.plan_create(by=world.east_officer, station=station, trigger=" ", steps="")
    assert set(caught.value.message_dict) == {"trigger", "steps"}
    with pytest.raises(access.PermissionDenied):
        services.plan_create(by=leader_of(world.east_team), station=station, trigger="大雪", steps="到岗")


# --- activation -------------------------------------------------------------------------------------------


def test_activating_calls_out_the_whole_team_with_a_link_to_confirm(
    world, plan, told, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="zhiyuan.notify")
    with django_capture_on_commit_callbacks(execute=False):
        activation = services.activation_start(by=world.east_officer, plan=plan, reason="大雪，京广线晚点")
    # the inbox rows are part of the activation's transaction; nothing leaves before it commits
    assert not Delivery.objects.exclude(status="pending").exists()
    assert told.urls == [f"/app/emergency/activations/{activation.pk}/"]
    # the team and the squad below it, each person once; nobody from another team
    assert told == [
        (
            "应急预案启动：郑州火车站东广场“文明使者”志愿服务站",
            "恶劣天气导致交通中断。大雪，京广线晚点。请立即到岗并在系统中确认。",
            ["below", "captain"],
        )
    ]
    assert ActivationResponse.objects.filter(activation=activation, confirmed_at__isnull=True).count() == 2
    assert "应急预案启动" in caplog.text


def test_one_open_activation_per_plan(world, plan):
    first = services.activation_start(by=world.east_officer, plan=plan, reason="大雪")
    with pytest.raises(Refused, match="请先结束本次响应"):
        services.activation_start(by=world.east_officer, plan=plan, reason="大雪")
    with pytest.raises(ValidationError) as caught:
        services.activation_close(by=world.east_officer, activation=first, note=" ")
    assert caught.value.message_dict == {"note": ["请填写总结，例如 处置经过和结果。"]}
    services.activation_close(by=world.east_officer, activation=first, note="滞留旅客已全部疏导")
    with pytest.raises(Refused, match="已结束"):
        services.activation_close(by=world.east_officer, activation=first, note="again")
    again = services.activation_start(by=world.east_officer, plan=plan, reason="冻雨")
    assert again.pk != first.pk and Activation.objects.filter(closed_at__isnull=True).get() == again


def test_only_the_responsible_office_activates(world, plan):
    for outsider in (leader_of(world.east_team), MembershipFactory(organization=plan.pairing.team).user):
        with pytest.raises(access.PermissionDenied):
            services.activation_start(by=outsider, plan=plan, reason="大雪")
    empty = OrganizationFactory(name="空队", kind=Kind.TEAM, parent=world.east)
    services.pairing_set(by=world.east_officer, station=plan.pairing.station, team=empty)
    with pytest.raises(Refused, match="还没有成员"):
        services.activation_start(by=world.east_officer, plan=plan, reason="大雪")


def test_members_confirm_for_themselves(world, plan):
    activation = services.activation_start(by=world.east_officer, plan=plan, reason="大雪")
    captain = UserFactory._meta.model.objects.get(username="captain")
    first = services.activation_confirm(by=captain, activation=activation).confirmed_at
    assert services.activation_confirm(by=captain, activation=activation).confirmed_at == first
    with pytest.raises(access.PermissionDenied, match="不在本次应急响应的通知名单中"):
        services.activation_confirm(by=world.east_officer, activation=activation)
    services.activation_close(by=world.east_officer, activation=activation, note="结束")
    below = UserFactory._meta.model.objects.get(username="below")
    with pytest.raises(Refused, match="已结束"):
        services.activation_confirm(by=below, activation=activation)


# --- incidents --------------------------------------------------------------------------------------------


def test_an_incident_is_reported_escalated_to_the_office_and_resolved(
    world, station, told, django_capture_on_commit_callbacks
):
    liaison = MembershipFactory(organization=world.east, role=Role.LIAISON).user
    reporter, leader = member_of(world.east_team), leader_of(world.east_team)
    incident = services.incident_report(
        by=reporter, station=station, kind="人员走失", severity="high", description="一名老人与家人走散",
        photo=upload(png_with_gps(), "现场.png"),
    )  # fmt: skip
    assert incident.status == Incident.Status.OPEN and incident.photo.name.endswith(".jpg")
    with pytest.raises(access.PermissionDenied):
        services.incident_escalate(by=reporter, incident=incident)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_escalate(by=leader, incident=incident)
    # the office's managers are told, not its liaison
    (subject, body, usernames) = told[-1]
    assert subject == "站点突发情况上报：郑州火车站东广场“文明使者”志愿服务站"
    assert body == "人员走失（严重）：一名老人与家人走散"
    assert usernames == [world.east_officer.username] and liaison.username not in usernames
    with pytest.raises(Refused, match="已上报"):
        services.incident_escalate(by=world.east_officer, incident=incident)
    with pytest.raises(access.PermissionDenied):
        services.incident_resolve(by=leader, incident=incident, resolution="已找到")
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_resolve(
            by=world.east_officer, incident=incident, resolution="已在候车室找到，交家属"
        )
    incident.refresh_from_db()
    assert incident.status == Incident.Status.RESOLVED and incident.resolved_at is not None
    assert told[-1][2] == [reporter.username]  # the reporter hears how it ended
    # the audit trail signs each step
    history = incident.history.order_by("history_date")
    assert [(h.history_user, h.status) for h in history] == [
        (reporter, "open"), (leader, "escalated"), (world.east_officer, "resolved")
    ]  # fmt: skip


def test_a_bad_report_says_everything_at_once(world, station):
    with pytest.raises(ValidationError) as caught:
        services.incident_report(
            by=world.east_officer, station=station, kind="", description=" ", severity="huge",
            photo=upload(b"not a photo", "x.jpg"),
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"kind", "description", "severity", "photo"}
    assert not Incident.objects.exists()
    with pytest.raises(access.PermissionDenied):
        services.incident_report(
            by=MembershipFactory(organization=world.west).user, station=station, kind="x", description="y"
        )


# --- the API ----------------------------------------------------------------------------------------------


def test_activate_confirm_and_close_through_the_api(world, plan, django_capture_on_commit_callbacks):
    officer = Api(world.east_officer)
    with django_capture_on_commit_callbacks(execute=True):
        made = officer.post(f"/emergency/plans/{plan.pk}/activate", {"reason": "大雪"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["notified_count"], body["confirmed_count"], body["team_name"]) == (
        2,
        0,
        "党员应急志愿服务队",
    )
    assert officer.post(f"/emergency/plans/{plan.pk}/activate", {"reason": "大雪"}).status_code == 409
    # a squad member who cannot see the station otherwise still reaches the activation to confirm it
    below = Api(UserFactory._meta.model.objects.get(username="below"))
    url = f"/emergency/activations/{body['id']}"
    confirmed = below.post(f"{url}/confirm", {})
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_count"] == 1
    assert below.post(f"{url}/close", {"note": "x"}).status_code == 403
    assert Api(member_of(world.east_team)).post(f"{url}/confirm", {}).status_code == 403
    assert officer.post(f"{url}/close", {"note": ""}).status_code == 422
    assert officer.post(f"{url}/close", {"note": "疏导完毕", "extra": 1}).status_code == 422
    closed = officer.post(f"{url}/close", {"note": "疏导完毕"})
    assert closed.status_code == 200 and closed.json()["closing_note"] == "疏导完毕"
    assert below.post(f"{url}/confirm", {}).status_code == 409


def test_report_escalate_and_resolve_through_the_api(world, station):
    member = Api(member_of(world.east_team))
    made = member.client.post(
        f"/api/v1/stations/{station.pk}/incidents",
        {"kind": "纠纷", "severity": "medium", "description": "排队争执", "photo": upload(jpeg(), "a.jpg")},
        HTTP_AUTHORIZATION=f"Bearer {member.token}",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["severity_label"]) == ("open", "较重") and body["photo_url"]
    photo = member.client.get(body["photo_url"], HTTP_AUTHORIZATION=f"Bearer {member.token}")
    assert photo.status_code == 200 and b"".join(photo.streaming_content).startswith(b"\xff\xd8")
    bad = member.client.post(
        f"/api/v1/stations/{station.pk}/incidents",
        {"kind": "", "description": "x", "photo": upload(b"text", "b.jpg")},
        HTTP_AUTHORIZATION=f"Bearer {member.token}",
    )
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {"kind", "photo"}
    listed = member.get(f"/stations/{station.pk}/incidents?status=open").json()
    assert listed["count"] == 1 and listed["items"][0]["kind"] == "纠纷"
    assert member.post(f"/incidents/{body['id']}/escalate", {}).status_code == 403
    assert Api(leader_of(world.east_team)).post(f"/incidents/{body['id']}/escalate", {}).status_code == 200
    resolved = Api(world.east_officer).post(f"/incidents/{body['id']}/resolve", {"resolution": "已调解"})
    assert resolved.status_code == 200 and resolved.json()["status_label"] == "已解决"
    assert (
        Api(world.east_officer).post(f"/incidents/{body['id']}/resolve", {"resolution": "x"}).status_code
        == 409
    )


def test_the_activation_page_lists_who_confirmed(world, plan):
    activation = services.activation_start(by=world.east_officer, plan=plan, reason="大雪")
    captain = UserFactory._meta.model.objects.get(username="captain")
    client = Client()
    client.force_login(captain)
    page = client.get(f"/app/emergency/activations/{activation.pk}/").content.decode()
    assert "收到，确认到岗" in page and "已确认 0/2 人" in page and "3. 发放热水和御寒物品" in page
    assert client.post(f"/app/emergency/activations/{activation.pk}/confirm/").status_code == 302
    fragment = client.get(
        f"/app/emergency/activations/{activation.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "已确认 1/2 人" in fragment and "<html" not in fragment
