"""/api/v1/report-rules and /api/v1/reports: the flow, uploads, reviews, and cross-organisation access."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from tests.conftest import Api
from tests.test_reporting_fixtures import absolute, bj, campaign, liaison
from zhiyuan.core.models import ApiToken
from zhiyuan.organizations.models import Kind
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.services.submissions import submission_open

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def plan(world: Any) -> Any:
    return absolute(
        campaign(world.city), bj(2099, 1, 23, 12), applies_to=world.city, kinds=[Kind.TEAM], title="活动方案"
    )


def upload(user: Any, path: str, name: str, data: bytes, content_type: str) -> Any:
    _, token = ApiToken.issue(user=user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Client().post(
        f"/api/v1{path}",
        {"file": SimpleUploadedFile(name, data, content_type=content_type), "caption": "合影"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (30, 30), "green").save(out, "PNG")
    return out.getvalue()


def test_liaison_drafts_uploads_and_submits_then_office_returns_and_accepts(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    api = Api(me)
    r = api.post("/reports", {"rule_id": plan.pk, "organization_id": world.east_team.pk, "period": "once"})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert api.patch(f"/reports/{rid}", {"text": "草稿"}).json()["text"] == "草稿"
    assert api.patch(f"/reports/{rid}", {"text": "x", "typo": 1}).status_code == 422
    photo = upload(me, f"/reports/{rid}/files", "a.png", png(), "image/png")
    assert photo.status_code == 201 and photo.json()["kind"] == "photo"
    video = upload(me, f"/reports/{rid}/files", "v.mp4", MP4, "video/mp4")
    assert video.status_code == 201 and video.json()["content_type"] == "video/mp4"
    fake = upload(me, f"/reports/{rid}/files", "v.mp4", b"GIF89a not really", "video/mp4")
    assert fake.status_code == 422 and "视频" in fake.json()["detail"][0]["msg"]
    assert [f["kind"] for f in api.get(f"/reports/{rid}/files").json()["items"]] == ["photo", "video"]
    assert api.get(photo.json()["url"].removeprefix("/api/v1")).status_code == 200
    done = api.post(f"/reports/{rid}/submit", {})
    assert done.status_code == 200 and done.json()["status"] == "submitted" and done.json()["on_time"] is True
    assert api.patch(f"/reports/{rid}", {"text": "偷偷改"}).status_code == 409
    office = Api(world.east_officer)
    assert office.post(f"/reports/{rid}/return", {"comment": ""}).status_code == 422
    assert office.post(f"/reports/{rid}/return", {"comment": "补充图片说明"}).json()["status"] == "returned"
    assert api.post(f"/reports/{rid}/submit", {"text": "第二版"}).json()["revision_count"] == 2
    assert [v["number"] for v in api.get(f"/reports/{rid}/revisions").json()["items"]] == [1, 2]
    assert api.post(f"/reports/{rid}/accept", {}).status_code == 403  # the unit does not review itself
    assert office.post(f"/reports/{rid}/accept", {"comment": "好"}).json()["status"] == "accepted"
    assert office.post(f"/reports/{rid}/select", {"selected": True}).json()["selected"] is True
    pub = office.post(
        f"/reports/{rid}/publish",
        {"title": "东广场暖心服务", "text": "联系电话13812345678", "photo_ids": [photo.json()["id"]]},
    )
    assert pub.status_code == 200 and "13812345678" not in pub.json()["public_text"]
    assert api.post(f"/reports/{rid}/submit", {}).status_code == 409  # accepted: no more edits


def test_lists_are_scoped_paginated_and_constant_in_queries(
    world: Any, plan: Any, django_assert_max_num_queries: Any
) -> None:
    me = liaison(world.east_team)
    submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    west = liaison(world.west_team)
    submission_open(by=west, rule=plan, organization=world.west_team, period="once")
    body = Api(me).get("/reports").json()
    assert body["count"] == 1 and body["items"][0]["organization_id"] == world.east_team.pk
    assert Api(world.east_officer).get("/reports").json()["count"] == 1
    assert Api(world.admin).get("/reports").json()["count"] == 2
    assert Api(me).get("/report-rules").json()["count"] == 1
    assert Api(liaison(world.city, "member")).get("/report-rules").json()["count"] == 0
    api = Api(world.admin)
    for n in (2, 6):
        while Submission.objects.count() < n:
            org = world.east_team.__class__.objects.create(
                name=f"队{Submission.objects.count()}", kind=Kind.TEAM, parent=world.east
            )
            submission_open(by=world.admin, rule=plan, organization=org, period="once")
        with django_assert_max_num_queries(6):
            assert api.get("/reports?limit=50").json()["count"] == n


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("get", "/reports/{id}", None),
        ("patch", "/reports/{id}", {"text": "x"}),
        ("post", "/reports/{id}/submit", {}),
        ("get", "/reports/{id}/revisions", None),
        ("get", "/reports/{id}/files", None),
        ("get", "/reports/{id}/files/{file}", None),
        ("delete", "/reports/{id}/files/{file}", None),
        ("post", "/reports/{id}/return", {"comment": "x"}),
        ("post", "/reports/{id}/accept", {}),
        ("post", "/reports/{id}/select", {}),
        ("post", "/reports/{id}/publish", {"title": "t", "text": "x", "photo_ids": []}),
    ],
)
def test_another_districts_report_is_not_found(
    world: Any, plan: Any, method: str, path: str, payload: Any
) -> None:
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    f = upload(me, f"/reports/{s.pk}/files", "a.png", png(), "image/png").json()
    for outsider in (world.west_officer, liaison(world.west_team)):
        api = Api(outsider)
        url = path.format(id=s.pk, file=f["id"])
        r = (
            api.get(url)
            if payload is None and method == "get"
            else getattr(api, method)(url, *([payload] if method != "delete" else []))
        )
        assert r.status_code == 404, (outsider, url, r.content)
    assert Submission.objects.get(pk=s.pk).files.count() == 1


def test_opening_for_another_unit_is_not_found_or_denied(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    assert (
        Api(me)
        .post("/reports", {"rule_id": plan.pk, "organization_id": world.west_team.pk, "period": "once"})
        .status_code
        == 404
    )
    member = liaison(world.east_team, "member")
    assert (
        Api(member)
        .post("/reports", {"rule_id": plan.pk, "organization_id": world.east_team.pk, "period": "once"})
        .status_code
        == 403
    )
    assert (
        Api(me)
        .post("/reports", {"rule_id": plan.pk, "organization_id": world.east_team.pk, "period": "2099-01-01"})
        .status_code
        == 409
    )


def test_my_dues_api_lists_what_my_units_owe(world: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    c = campaign(world.city, "now", today - timedelta(days=5), today + timedelta(days=5))
    r = absolute(
        c, timezone.now() + timedelta(hours=3), applies_to=world.city, kinds=[Kind.TEAM], title="方案"
    )
    body = Api(liaison(world.east_team)).get("/report-dues").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["rule_id"], item["organization_id"], item["due_soon"], item["status"]) == (
        r.pk,
        world.east_team.pk,
        True,
        None,
    )
    assert Api(world.west_officer).get("/report-dues").json()["count"] == 0
