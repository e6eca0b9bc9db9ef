"""Station pages and the stations API: an officer sets a station up, a team leader hands out stock on a phone,
evidence photos, the 未达标 overview and the 工作台账; who reaches what (every object, pages and API); and
what each list costs at 10 and at 1,000 stations."""

import html

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Api
from tests.test_images import jpeg, png_with_gps, upload
from tests.test_stations import (
    bulk_stations,
    leader_of,
    ledger_world,
    make_station,
    meet_all,
    member_of,
    stocked,
)
from zhiyuan.campaigns.models import (
    Activation,
    Consumable,
    ContingencyPlan,
    Incident,
    StandardCheck,
    Station,
    StockMovement,
)
from zhiyuan.campaigns.services import emergency as emergency_services
from zhiyuan.campaigns.services import stations as services

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def as_user(user) -> Client:
    user.refresh_from_db()  # the factory's password hash must match the stored row for the session to hold
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def station(world):
    return make_station(world)


def station_form(world, **overrides):
    data = {
        "name": "郑州火车东站“文明使者”志愿服务站",
        "place": "郑州火车东站",
        "sub_location": "",
        "points": "1",
        "responsible_office": str(world.east.pk),
        "teams": [str(world.east_team.pk)],
        "hotline": "12345",
        "services": ["information", "guidance"],
        "latitude": "34.756",
        "longitude": "113.778",
    }
    data.update(overrides)
    return data


def test_an_officer_sets_up_a_station_and_sees_what_it_still_lacks(world):
    client = as_user(world.east_officer)
    assert client.get("/app/stations/new/").status_code == 200
    # every problem at once, in Chinese
    bad = client.post("/app/stations/new/", station_form(world, name=" ", hotline="abc", longitude=""))
    page = text(bad)
    assert bad.status_code == 200 and not Station.objects.exists()
    assert "请填写站点名称。" in page and "请输入手机号码、带区号的固定电话或12345等服务号码。" in page
    assert "经纬度须同时填写。" in page
    made = client.post("/app/stations/new/", station_form(world))
    station = Station.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/app/stations/{station.pk}/"
    detail = text(client.get(made["Location"]))
    assert "未达标 0/7" in detail and 'href="tel:12345"' in detail and "信息咨询、引导" in detail
    assert world.east_team.name in detail and "uri.amap.com/marker?position=113.778000,34.756000" in detail
    # the list finds it among the stations not yet up to standard, as a fragment for htmx
    rows = client.get("/app/stations/?status=unmet", **HTMX)
    assert "<html" not in text(rows) and station.name in text(rows) and "共 1 个站点" in text(rows)
    edited = client.post(f"/app/stations/{station.pk}/edit/", station_form(world, name="东站服务站"))
    assert edited.status_code == 302 and Station.objects.get().name == "东站服务站"


def test_a_team_leader_hands_out_stock_from_a_phone(world, station):
    cups = stocked(station, world.east_officer, quantity=3, low_threshold=1)
    leader = as_user(leader_of(world.east_team))
    url = f"/app/stations/{station.pk}/stock/{cups.pk}/move/"
    assert "− 发放" in text(leader.get(f"/app/stations/{station.pk}/"))
    row = text(leader.post(url, {"amount": "2", "direction": "out"}, **HTMX))
    assert row.startswith(f'<tr id="stock-{cups.pk}">') and "<strong>1</strong>" in row and "库存不足" in row
    refused = text(leader.post(url, {"amount": "5", "direction": "out"}, **HTMX))
    assert "“热水杯”库存不足：仅剩1个，不能减少5个。" in refused
    leader.post(url, {"amount": "10", "direction": "in", "reason": "团市委调拨"}, **HTMX)
    assert Consumable.objects.get().quantity == 11
    assert list(StockMovement.objects.order_by("pk").values_list("delta", "reason"))[1:] == [
        (-2, "发放"),
        (10, "团市委调拨"),
    ]
    # a team member sees the stock but may not move it
    member = as_user(member_of(world.east_team))
    assert "− 发放" not in text(member.get(f"/app/stations/{station.pk}/"))
    assert member.post(url, {"amount": "1", "direction": "out"}).status_code == 403


def test_an_evidence_photo_is_kept_without_its_exif_and_served_only_through_the_page(world, station):
    client = as_user(world.east_officer)
    url = f"/app/stations/{station.pk}/standards/sign/"
    assert "有统一标识" in text(client.get(url))
    not_a_photo = client.post(url, {"met": "on", "evidence": upload(b"text", "标识.jpg")})
    assert "只能上传 JPEG、PNG 或 WebP 格式的照片" in text(not_a_photo) and not StandardCheck.objects.exists()
    done = client.post(url, {"met": "on", "note": "已挂牌", "evidence": upload(png_with_gps(), "标识.png")})
    assert done.status_code == 302
    check = StandardCheck.objects.get()
    photo = client.get(f"/app/stations/standards/{check.pk}/photo/")
    body = b"".join(photo.streaming_content)
    assert photo["Content-Type"] == "image/jpeg" and body.startswith(b"\xff\xd8") and b"Exif" not in body
    assert client.get(f"/app/stations/standards/{check.pk}/photo/?thumb=1").status_code == 200
    assert f"/app/stations/standards/{check.pk}/photo/?thumb=1" in text(
        client.get(f"/app/stations/{station.pk}/")
    )
    assert as_user(leader_of(world.east_team)).get(url).status_code == 403
    # the overview names what is still missing
    meet_all(station, world.east_officer, except_=["rules", "activities"])
    overview = text(client.get("/app/stations/standards/"))
    assert station.name in overview and "有管理制度、落实志愿服务活动" in overview and "5/7" in overview


def test_the_ledger_page_shows_what_happened_at_the_station(world, station):
    ledger_world(world, station, count=2)
    leader = as_user(leader_of(world.east_team))
    recorded = leader.post(
        f"/app/stations/{station.pk}/services/new/",
        {"day": timezone.localdate().isoformat(), "service": "legal_aid", "count": "4", "note": "欠薪咨询"},
    )
    assert recorded.status_code == 302 and recorded["Location"] == f"/app/stations/{station.pk}/ledger/"
    page = text(leader.get(recorded["Location"]))
    assert "共 9 条" in page and "法律援助 4 次" in page and "欠薪咨询" in page
    assert "早班1" in page and "集中志愿服务" in page and "旅客受伤（一般）" in page


def test_a_volunteer_reports_an_incident_with_a_photo_and_it_is_tracked_to_resolution(world, station):
    member = as_user(member_of(world.east_team))
    form = text(member.get(f"/app/stations/{station.pk}/incidents/new/"))
    assert 'capture="environment"' in form and '<datalist id="incident-kinds">' in form
    data = {"kind": "突发疾病", "severity": "high", "description": "候车旅客晕倒", "photo": upload(jpeg())}
    made = member.post(f"/app/stations/{station.pk}/incidents/new/", data)
    incident = Incident.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/app/incidents/{incident.pk}/"
    page = text(member.get(made["Location"]))
    assert "候车旅客晕倒" in page and f"/app/incidents/{incident.pk}/photo/?thumb=1" in page
    assert "上报所属文明办" not in page  # a member reports; the team leader escalates
    assert member.post(f"/app/incidents/{incident.pk}/escalate/").status_code == 403
    leader = as_user(leader_of(world.east_team))
    leader.post(f"/app/incidents/{incident.pk}/escalate/")
    assert Incident.objects.get().status == Incident.Status.ESCALATED
    office = as_user(world.east_officer)
    assert "已上报" in text(office.get("/app/incidents/"))
    office.post(f"/app/incidents/{incident.pk}/resolve/", {"resolution": "已送医，家属已到"})
    assert Incident.objects.get().status == Incident.Status.RESOLVED
    assert "已送医，家属已到" in text(office.get(made["Location"]))


# --- the API ----------------------------------------------------------------------------------------------


def test_create_read_patch_and_filter_stations_through_the_api(world, station):
    officer = Api(world.east_officer)
    body = {"name": "郑州火车站西广场站", "place": "郑州火车站", "sub_location": "西广场",
            "responsible_office_id": world.east.pk, "team_ids": [world.east_team.pk], "services": ["sewing"]}  # fmt: skip
    made = officer.post("/stations", body)
    assert made.status_code == 201, made.content
    west_square = made.json()
    assert west_square["teams"] == [{"id": world.east_team.pk, "name": world.east_team.name}]
    assert west_square["service_labels"] == ["针线"] and len(west_square["standards"]) == 7
    assert officer.post("/stations", {**body, "points": 1, "approved": True}).status_code == 422
    elsewhere = officer.post("/stations", {**body, "responsible_office_id": world.west.pk})
    assert elsewhere.status_code == 422 and elsewhere.json()["detail"][0]["msg"] == "所选组织不存在。"
    bad = officer.patch(f"/stations/{station.pk}", {"points": 0, "hotline": "abc", "services": ["x"]})
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {
        "points",
        "hotline",
        "services",
    }
    assert officer.patch(f"/stations/{station.pk}", {"name": None}).status_code == 422
    patched = officer.patch(f"/stations/{station.pk}", {"standard_due_on": "2027-01-20", "hotline": "12345"})
    assert patched.status_code == 200 and patched.json()["hotline"] == "12345"
    assert Api(leader_of(world.east_team)).patch(f"/stations/{station.pk}", {"name": "x"}).status_code == 403
    meet_all(station, world.east_officer)
    unmet = officer.get("/stations?not_up_to_standard=true").json()
    assert [s["id"] for s in unmet["items"]] == [west_square["id"]]
    by_office = officer.get(f"/stations?office={world.city.pk}").json()  # the city's subtree
    assert by_office["count"] == 2 and officer.get(f"/stations?office={world.west.pk}").json()["count"] == 0


def test_stock_standards_services_and_incidents_through_the_api(world, station):
    officer, leader = Api(world.east_officer), Api(leader_of(world.east_team))
    cups = officer.post(
        f"/stations/{station.pk}/stock", {"name": "热水杯", "quantity": 4, "low_threshold": 3}
    )
    assert cups.status_code == 201 and cups.json()["is_low"] is False
    moves = f"/stations/{station.pk}/stock/{cups.json()['id']}/moves"
    taken = leader.post(moves, {"delta": -2, "reason": "发放"})
    assert taken.status_code == 201 and taken.json() | {"id": 0} == {
        "id": 0, "name": "热水杯", "unit": "个", "quantity": 2, "low_threshold": 3, "is_low": True,
    }  # fmt: skip
    too_many = leader.post(moves, {"delta": -3, "reason": "发放"})
    assert too_many.status_code == 409 and "仅剩2个" in too_many.json()["detail"]
    assert leader.post(moves, {"delta": 0, "reason": ""}).status_code == 422
    assert leader._call("put", f"/stations/{station.pk}/standards/sign", {"met": True}).status_code == 403
    put = officer._call("put", f"/stations/{station.pk}/standards/sign", {"met": True, "note": "已挂牌"})
    assert (
        put.status_code == 200 and put.json()["label"] == "有统一标识" and put.json()["evidence_url"] is None
    )
    assert (
        officer._call("put", f"/stations/{station.pk}/standards/nonsense", {"met": True}).status_code == 404
    )
    evidence = officer.client.post(
        f"/api/v1/stations/{station.pk}/standards/sign/evidence",
        {"evidence": upload(png_with_gps(), "a.png")},
        HTTP_AUTHORIZATION=f"Bearer {officer.token}",
    )
    assert evidence.status_code == 200 and evidence.json()["met"] is True and evidence.json()["evidence_url"]
    listed = officer.get(f"/stations/{station.pk}/standards").json()
    assert listed["count"] == 7 and [i["met"] for i in listed["items"]] == [True] + [False] * 6
    given = leader.post(
        f"/stations/{station.pk}/services",
        {"day": str(timezone.localdate()), "service": "hot_water", "count": 80},
    )
    assert given.status_code == 201
    no_photo = leader.client.post(
        f"/api/v1/stations/{station.pk}/incidents",
        {"kind": "设施故障", "description": "饮水机漏电"},
        HTTP_AUTHORIZATION=f"Bearer {leader.token}",
    )
    assert no_photo.status_code == 201 and no_photo.json()["photo_url"] is None
    ledger = officer.get(f"/stations/{station.pk}/ledger").json()
    assert [r["kind"] for r in ledger["items"]] == ["service", "incident"]
    assert ledger["items"][0]["title"] == "热水 80 次"


# --- who reaches what -------------------------------------------------------------------------------------


@pytest.fixture
def east(world, station, django_capture_on_commit_callbacks):
    """Every kind of object an east station has."""
    cups = stocked(station, world.east_officer)
    check = services.standard_check_set(
        by=world.east_officer, station=station, item="sign", met=True, evidence=upload(jpeg())
    )
    member_of(world.east_team)
    emergency_services.pairing_set(by=world.east_officer, station=station, team=world.east_team)
    plan = emergency_services.plan_create(
        by=world.east_officer, station=station, trigger="恶劣天气导致交通中断", steps="到岗"
    )
    activation = emergency_services.activation_start(by=world.east_officer, plan=plan, reason="大雪")
    incident = emergency_services.incident_report(
        by=world.east_officer, station=station, kind="纠纷", description="排队争执", photo=upload(jpeg())
    )
    return {"s": station.pk, "c": cups.pk, "k": check.pk, "p": plan.pk, "a": activation.pk, "i": incident.pk}


def snapshot():
    return (
        list(Station.objects.values_list("name", "hotline")),
        list(Consumable.objects.values_list("quantity", flat=True)),
        list(StandardCheck.objects.values_list("met", "note")),
        list(ContingencyPlan.objects.values_list("trigger", flat=True)),
        list(Activation.objects.values_list("closed_at", flat=True)),
        list(Incident.objects.values_list("status", "resolution")),
        StockMovement.objects.count(),
    )


EAST_PAGES = [
    "get /app/stations/{s}/", "get /app/stations/{s}/edit/", "post /app/stations/{s}/edit/",
    "get /app/stations/{s}/ledger/", "get /app/stations/{s}/services/new/", "post /app/stations/{s}/services/new/",
    "get /app/stations/{s}/stock/new/", "post /app/stations/{s}/stock/new/",
    "post /app/stations/{s}/stock/{c}/move/", "get /app/stations/{s}/standards/sign/",
    "post /app/stations/{s}/standards/sign/", "get /app/stations/standards/{k}/photo/",
    "get /app/stations/{s}/emergency/pairing/", "post /app/stations/{s}/emergency/pairing/",
    "get /app/stations/{s}/emergency/plans/new/", "post /app/stations/{s}/emergency/plans/new/",
    "get /app/stations/{s}/incidents/new/", "post /app/stations/{s}/incidents/new/",
    "get /app/emergency/plans/{p}/edit/", "post /app/emergency/plans/{p}/edit/",
    "get /app/emergency/plans/{p}/activate/", "post /app/emergency/plans/{p}/activate/",
    "get /app/emergency/activations/{a}/", "post /app/emergency/activations/{a}/confirm/",
    "post /app/emergency/activations/{a}/close/", "get /app/incidents/{i}/", "get /app/incidents/{i}/photo/",
    "post /app/incidents/{i}/escalate/", "post /app/incidents/{i}/resolve/",
]  # fmt: skip
FORM = {"name": "渗透", "hotline": "12345", "amount": "1", "direction": "out", "met": "", "note": "渗透",
        "trigger": "渗透", "steps": "渗透", "reason": "渗透", "resolution": "渗透", "kind": "渗透",
        "description": "渗透", "team": "1", "day": "2026-01-01", "service": "information", "count": "1"}  # fmt: skip


@pytest.mark.parametrize("call", EAST_PAGES)
def test_the_west_officer_cannot_reach_any_east_station_object_through_the_pages(world, east, call):
    method, url = call.split(" ")
    before = snapshot()
    client = as_user(world.west_officer)
    path = url.format(**east)
    response = client.get(path) if method == "get" else client.post(path, FORM)
    assert response.status_code == 404, path
    assert "郑州火车站" not in text(response) and snapshot() == before


EAST_API = [
    ("get", "/stations/{s}", None), ("patch", "/stations/{s}", {"name": "渗透"}),
    ("get", "/stations/{s}/ledger", None), ("post", "/stations/{s}/stock", {"name": "渗透"}),
    ("post", "/stations/{s}/stock/{c}/moves", {"delta": -1, "reason": "渗透"}),
    ("get", "/stations/{s}/standards", None), ("put", "/stations/{s}/standards/sign", {"met": False}),
    ("get", "/stations/{s}/standards/sign/evidence", None),
    ("post", "/stations/{s}/services", {"day": "2026-01-01", "service": "information", "count": 1}),
    ("get", "/stations/{s}/incidents", None), ("get", "/incidents/{i}", None), ("get", "/incidents/{i}/photo", None),
    ("post", "/incidents/{i}/escalate", {}), ("post", "/incidents/{i}/resolve", {"resolution": "渗透"}),
    ("post", "/emergency/plans/{p}/activate", {"reason": "渗透"}), ("get", "/emergency/activations/{a}", None),
    ("post", "/emergency/activations/{a}/confirm", {}), ("post", "/emergency/activations/{a}/close", {"note": "渗透"}),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), EAST_API, ids=[f"{m} {p}" for m, p, _ in EAST_API])
def test_the_west_officer_cannot_reach_any_east_station_object_through_the_api(
    world, east, method, path, body
):
    before = snapshot()
    api = Api(world.west_officer)
    url = path.format(**east)
    response = api.get(url) if method == "get" else api._call(method, url, body)
    assert response.status_code == 404, (url, response.content)
    assert snapshot() == before
    multipart = api.client.post(
        f"/api/v1/stations/{east['s']}/incidents",
        {"kind": "渗透", "description": "渗透"},
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert multipart.status_code == 404 and Incident.objects.count() == 1


# --- what a list costs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 1000])
def test_station_lists_and_the_ledger_cost_the_same_at_any_size(world, size, django_assert_num_queries):
    stations = bulk_stations(world, size)
    ledger_world(world, stations[0], count=size)
    officer, api = as_user(world.east_officer), Api(world.east_officer)
    # session, user, grants, count, page, linked teams, the campaign and office filters
    with django_assert_num_queries(8):
        page = officer.get("/app/stations/")
    assert page.status_code == 200 and page.context["page"].paginator.count == size
    assert "1 种物资不足" in text(page) and "未达标 1/7" in text(page)
    # token + last-used stamp, grants, count, page, linked teams
    with django_assert_num_queries(6):
        body = api.get("/stations?limit=100").json()
    assert body["count"] == size and len(body["items"]) == min(size, 100)
    assert body["items"][0]["low_stock_count"] == 1 and body["items"][0]["met_count"] == 1
    # session, user, grants, the station, its teams, duties, shifts, services given, incidents
    with django_assert_num_queries(9):
        ledger = officer.get(f"/app/stations/{stations[0].pk}/ledger/")
    assert ledger.context["page"].paginator.count == 4 * size
    with django_assert_num_queries(9):  # token + stamp instead of session + user
        body = api.get(f"/stations/{stations[0].pk}/ledger?limit=100").json()
    assert body["count"] == 4 * size and len(body["items"]) == min(4 * size, 100)
