"""The pages: my reports due, the report form, the review queue; and cross-organisation access."""

from __future__ import annotations

from datetime import time, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.test_reporting_fixtures import absolute, campaign, daily, liaison, unit
from zhiyuan.organizations.models import Kind
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.services.submissions import submission_open, submission_submit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def live(world: Any) -> Any:
    """A campaign running now, with a plan due tomorrow and one overdue since yesterday."""
    today = timezone.localdate()
    c = campaign(world.city, "now", today - timedelta(days=10), today + timedelta(days=10))
    soon = absolute(
        c, timezone.now() + timedelta(hours=20), applies_to=world.city, kinds=[Kind.TEAM], title="活动方案"
    )
    late = absolute(
        c, timezone.now() - timedelta(days=1), applies_to=world.city, kinds=[Kind.TEAM], title="附件2"
    )
    return c, soon, late


def test_my_dues_shows_what_by_when_with_badges(world: Any, live: Any) -> None:
    me = liaison(world.east_team)
    page = client_for(me).get("/app/reports/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "活动方案" in html and "24小时内截止" in html
    assert "附件2" in html and "已逾期" in html
    assert 'name="viewport"' in html


def test_my_dues_empty_state(world: Any) -> None:
    page = client_for(liaison(world.east_team)).get("/app/reports/")
    assert "近期没有需要您上报的材料" in page.content.decode()


def test_my_dues_query_count_is_constant(world: Any, django_assert_max_num_queries: Any) -> None:
    me = liaison(world.east_team)
    c = campaign(
        world.city,
        "now",
        timezone.localdate() - timedelta(days=40),
        timezone.localdate() + timedelta(days=20),
    )
    client = client_for(me)
    for n in (1, 4):
        for i in range(n):
            daily(c, at=time(15, 30), applies_to=world.east, kinds=[Kind.TEAM], title=f"简报{n}-{i}")
            o = unit(world.east_team, f"下属{n}-{i}", kind=Kind.TEAM)
            liaison(o).delete()
        with django_assert_max_num_queries(25):
            assert client.get("/app/reports/").status_code == 200


def test_liaison_opens_fills_uploads_and_submits_through_the_pages(world: Any, live: Any) -> None:
    _, soon, _late = live
    me = liaison(world.east_team)
    client = client_for(me)
    url = f"/app/reports/r/{soon.pk}/{world.east_team.pk}/once/"
    assert "开始填写" in client.get(url).content.decode()
    opened = client.post(url)
    s = Submission.objects.get()
    assert opened.url == f"/app/reports/submissions/{s.pk}/"
    assert client.get(url).url == opened.url  # the reminder link now leads to the report
    bad = client.post(opened.url, {"action": "submit", "text": ""})
    assert bad.status_code == 422 and "请填写正文" in bad.content.decode()
    assert client.post(opened.url, {"action": "save", "text": "草稿正文"}).status_code == 302
    out = BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    client.post(
        f"{opened.url}files/",
        {"file": SimpleUploadedFile("a.png", out.getvalue(), "image/png"), "caption": "合影"},
    )
    fake = client.post(
        f"{opened.url}files/", {"file": SimpleUploadedFile("b.mov", b"nope" * 20, "video/quicktime")}
    )
    assert fake.status_code == 422 and "不是视频" in fake.content.decode()
    assert client.post(opened.url, {"action": "submit", "text": "正式方案"}).status_code == 302
    s.refresh_from_db()
    assert (s.status, s.text, s.files.count(), s.on_time) == ("submitted", "正式方案", 1, True)
    page = client.get(opened.url).content.decode()
    assert "第 1 版" in page and "保存草稿" not in page


def test_review_queue_filters_and_acts(world: Any, live: Any) -> None:
    _, soon, late = live
    me = liaison(world.east_team)
    for r in (soon, late):
        s = submission_open(by=me, rule=r, organization=world.east_team, period="once")
        submission_submit(by=me, submission=s, text=f"{r.title}正文")
    office = client_for(world.east_officer)
    page = office.get("/app/reports/review/").content.decode()
    assert "活动方案" in page and "附件2" in page and "迟报" in page
    filtered = office.get(f"/app/reports/review/?rule={soon.pk}").content.decode()
    assert "附件2</a>" not in filtered and "活动方案</a>" in filtered
    target = Submission.objects.get(rule=soon)
    office.post(
        f"/app/reports/submissions/{target.pk}/review/",
        {"action": "return", "comment": "请补充照片", "next": "queue"},
    )
    target.refresh_from_db()
    assert target.status == "returned" and target.review_comment == "请补充照片"
    assert "请补充照片" in client_for(me).get(f"/app/reports/submissions/{target.pk}/").content.decode()
    assert client_for(me).get("/app/reports/review/").status_code == 403
    assert "没有符合条件的上报" in client_for(world.west_officer).get("/app/reports/review/").content.decode()


def test_review_queue_query_count_is_constant(
    world: Any, live: Any, django_assert_max_num_queries: Any
) -> None:
    _, soon, _late = live
    office = client_for(world.east_officer)
    for n in (1, 5):
        while Submission.objects.count() < n:
            o = unit(world.east, f"队{Submission.objects.count()}", kind=Kind.TEAM)
            s = submission_open(by=world.admin, rule=soon, organization=o, period="once")
            submission_submit(by=world.admin, submission=s, text="x")
        with django_assert_max_num_queries(12):
            page = office.get("/app/reports/review/")
        assert page.content.decode().count('id="submission-') == n


def test_pages_of_another_district_are_not_found(world: Any, live: Any) -> None:
    _, soon, late = live
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=soon, organization=world.east_team, period="once")
    out = BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    client_for(me).post(
        f"/app/reports/submissions/{s.pk}/files/",
        {"file": SimpleUploadedFile("a.png", out.getvalue(), "image/png")},
    )
    f = s.files.get()
    for outsider in (world.west_officer, liaison(world.west_team)):
        c = client_for(outsider)
        assert c.get(f"/app/reports/submissions/{s.pk}/").status_code == 404
        assert c.post(f"/app/reports/submissions/{s.pk}/", {"action": "save", "text": "x"}).status_code == 404
        assert c.post(f"/app/reports/submissions/{s.pk}/files/", {}).status_code == 404
        assert c.get(f"/app/reports/files/{f.pk}/").status_code == 404
        assert c.post(f"/app/reports/files/{f.pk}/delete/").status_code == 404
        assert c.post(f"/app/reports/submissions/{s.pk}/review/", {"action": "accept"}).status_code == 404
        assert (
            c.post(f"/app/reports/submissions/{s.pk}/publish/", {"title": "t", "text": "x"}).status_code
            == 404
        )
        assert c.get(f"/app/reports/r/{soon.pk}/{world.east_team.pk}/once/").status_code == 404
    s.refresh_from_db()
    assert s.text == "" and s.files.count() == 1
    # inside the scope without the permission: 403
    member = client_for(liaison(world.east_team, "member"))
    assert member.post(f"/app/reports/r/{late.pk}/{world.east_team.pk}/once/").status_code == 403


def test_structured_forms_render_their_fields_and_the_reviewer_sees_publishing(world: Any, live: Any) -> None:
    from tests.factories import UnitContactFactory
    from zhiyuan.reporting.models import Form
    from zhiyuan.reporting.services.reviews import submission_accept

    c, _soon, _late = live
    UnitContactFactory(organization=world.east_team, category="liaison", name="李联络", mobile="13900001111")
    contacts = absolute(
        c,
        timezone.now() + timedelta(hours=5),
        applies_to=world.city,
        kinds=[Kind.TEAM],
        form=Form.CONTACTS,
        title="附件2表",
    )
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=contacts, organization=world.east_team, period="once")
    page = client_for(me).get(f"/app/reports/submissions/{s.pk}/").content.decode()
    assert "联络员姓名" in page and "李联络" in page and "主管领导手机" in page
    fields = {
        k: "某" for k in ("leader_in_charge_name", "person_in_charge_name", "liaison_name", "reporter_name")
    }
    fields.update(
        {
            k: "13900001111"
            for k in (
                "leader_in_charge_mobile",
                "person_in_charge_mobile",
                "liaison_mobile",
                "reporter_mobile",
            )
        }
    )
    submission_accept(by=world.east_officer, submission=submission_submit(by=me, submission=s, fields=fields))
    review = client_for(world.east_officer).get(f"/app/reports/submissions/{s.pk}/").content.decode()
    assert "择优选用" in review and "发布到新闻" in review and "保存草稿" not in review
