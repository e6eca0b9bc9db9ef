"""Files on a report (photos re-encoded, videos checked by content) and the review: 择优, publishing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.test_reporting_fixtures import absolute, bj, campaign, liaison
from tests.test_reporting_submissions import MOV, MP4, WEBM, png
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Kind
from zhiyuan.reporting.services.files import sniff_video, submission_file_add
from zhiyuan.reporting.services.reviews import (
    redact,
    submission_accept,
    submission_publish,
    submission_select,
)
from zhiyuan.reporting.services.submissions import submission_open, submission_submit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def plan(world: Any) -> Any:
    c = campaign(world.city)
    return absolute(c, bj(2019, 1, 23, 12), applies_to=world.city, kinds=[Kind.TEAM], title="活动方案")


def test_videos_are_checked_by_content_and_size(world: Any, plan: Any, settings: Any) -> None:
    assert (
        sniff_video(MP4),
        sniff_video(MOV),
        sniff_video(WEBM),
        sniff_video(b"hello world, not a video"),
    ) == ("mp4", "mov", "webm", None)
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    f = submission_file_add(
        by=me,
        submission=s,
        upload=SimpleUploadedFile("clip.bin", MP4, content_type="application/octet-stream"),
    )
    assert (
        f.kind == "video"
        and f.content_type == "video/mp4"
        and f.file.name.endswith(".mp4")
        and "clip" not in f.file.name
    )
    with pytest.raises(ValidationError) as exc:
        submission_file_add(
            by=me,
            submission=s,
            upload=SimpleUploadedFile(
                "fake.mp4", b"<script>alert(1)</script>" * 10, content_type="video/mp4"
            ),
        )
    assert "不是视频" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        submission_file_add(
            by=me,
            submission=s,
            upload=SimpleUploadedFile("fake.jpg", b"not an image at all", content_type="image/jpeg"),
        )
    assert "不是图片" in str(exc.value)
    settings.ZHIYUAN_REPORT_VIDEO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        submission_file_add(
            by=me, submission=s, upload=SimpleUploadedFile("big.webm", WEBM, content_type="video/webm")
        )
    assert "不能超过" in str(exc.value)
    assert s.files.count() == 1


def test_photos_are_reencoded_under_random_names(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    f = submission_file_add(by=me, submission=s, upload=png("张三身份证.png"), caption="合影")
    assert f.kind == "photo" and f.content_type == "image/jpeg" and f.file.name.endswith(".jpg")
    assert "张三" not in f.file.name
    with f.file.open("rb") as fh:
        assert Image.open(fh).format == "JPEG"


def test_publish_redacts_personal_numbers_and_takes_only_own_photos(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    photo = submission_file_add(by=me, submission=s, upload=png())
    s = submission_submit(by=me, submission=s, text="正文")
    officer = world.east_officer
    with pytest.raises(Refused):  # only accepted reports are published
        submission_publish(by=officer, submission=s, title="t", text="x", photo_ids=[])
    s = submission_accept(by=officer, submission=s)
    other = submission_open(
        by=liaison(world.west_team), rule=plan, organization=world.west_team, period="once"
    )
    stranger = submission_file_add(by=other.created_by, submission=other, upload=png())
    with pytest.raises(ValidationError) as exc:
        submission_publish(by=officer, submission=s, title="t", text="x", photo_ids=[photo.pk, stranger.pk])
    assert "photo_ids" in exc.value.message_dict
    with pytest.raises(access.PermissionDenied):
        submission_publish(by=world.west_officer, submission=s, title="t", text="x", photo_ids=[])
    s = submission_publish(
        by=officer,
        submission=s,
        title="东广场志愿者 联系电话13812345678",
        text="志愿者张某（身份证410102199001011234，手机 138-1234-5678，座机0371-67186891）服务旅客300人次。",
        photo_ids=[photo.pk],
    )
    assert s.published and s.published_at and s.selected
    assert "13812345678" not in s.public_title
    assert (
        "410102199001011234" not in s.public_text
        and "1234-5678" not in s.public_text
        and "67186891" not in s.public_text
    )
    assert "300人次" in s.public_text
    assert list(s.public_photos.all()) == [photo]


def test_select_only_accepted(world: Any, plan: Any) -> None:
    me = liaison(world.east_team)
    s = submission_submit(
        by=me,
        submission=submission_open(by=me, rule=plan, organization=world.east_team, period="once"),
        text="x",
    )
    with pytest.raises(Refused):
        submission_select(by=world.east_officer, submission=s)
    submission_accept(by=world.east_officer, submission=s)
    assert submission_select(by=world.east_officer, submission=s).selected is True


def test_redact_keeps_ordinary_numbers() -> None:
    assert (
        redact("服务旅客 1200 人次，发放春联 350 副，2019年1月23日")
        == "服务旅客 1200 人次，发放春联 350 副，2019年1月23日"
    )
    assert "6718" not in redact("电话：6718 6891")


def test_a_published_report_reaches_the_public_news_page_and_leaves_it_when_taken_down(
    world: Any, plan: Any
) -> None:
    from django.test import Client

    from zhiyuan.community.models import News
    from zhiyuan.reporting.services.reviews import submission_unpublish

    me = liaison(world.east_team)
    s = submission_open(by=me, rule=plan, organization=world.east_team, period="once")
    chosen = submission_file_add(by=me, submission=s, upload=png())
    submission_file_add(by=me, submission=s, upload=png())  # not chosen: stays private
    s = submission_accept(
        by=world.east_officer, submission=submission_submit(by=me, submission=s, text="正文")
    )
    public = Client()
    assert "东站送温暖" not in public.get("/news/").content.decode()
    submission_publish(
        by=world.east_officer,
        submission=s,
        title="东站送温暖",
        text="服务旅客300人次，联系电话13812345678",
        photo_ids=[chosen.pk],
    )
    news = News.objects.get(source_submission_id=s.pk)
    assert news.photos.count() == 1 and "13812345678" not in news.body
    page = public.get("/news/").content.decode()
    assert "东站送温暖" in page
    assert "13812345678" not in public.get(f"/news/{news.pk}/").content.decode()
    submission_unpublish(by=world.east_officer, submission=s)
    assert "东站送温暖" not in public.get("/news/").content.decode()
    submission_publish(by=world.east_officer, submission=s, title="东站送温暖", text="正文", photo_ids=[])
    assert News.objects.filter(source_submission_id=s.pk).count() == 1
    assert "东站送温暖" in public.get("/news/").content.decode()
