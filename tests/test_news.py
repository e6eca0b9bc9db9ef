"""News (issue 8 §1/§5): officers write and take down news with photos; the reporting app publishes a
submission through `news_publish(..., source_submission_id=…)`; the public list and pages are cacheable
and cost the same at any size."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.factories import MembershipFactory
from zhiyuan.community.models import News
from zhiyuan.community.services.news import news_publish, news_unpublish
from zhiyuan.core import access
from zhiyuan.organizations.roles import Role


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def photo(name="p.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_the_reporting_app_publishes_a_submission_once(world):
    first = news_publish(
        by=world.east_officer, title="郑东新区志愿者为返乡工友送上热水", body="正文", source_submission_id=41
    )
    again = news_publish(by=world.east_officer, title="重复", body="重复", source_submission_id=41)
    assert again.pk == first.pk and News.objects.count() == 1
    assert first.organization == world.east and first.source_label == "郑东新区文明办" and first.is_public


def test_photos_are_checked_and_served_publicly_once_published(world):
    news = news_publish(by=world.east_officer, title="包饺子", body="正文", images=[photo()])
    [p] = news.photos.all()
    anon = Client()
    img = anon.get(f"/news/photos/{p.pk}/")
    assert img.status_code == 200 and img["Content-Type"] == "image/jpeg" and "public" in img["Cache-Control"]
    with pytest.raises(Exception) as exc:
        news_publish(
            by=world.east_officer,
            title="坏图",
            body="正文",
            images=[SimpleUploadedFile("x.jpg", b"not a photo")],
        )
    assert "images" in exc.value.message_dict  # type: ignore[attr-defined]
    news_unpublish(by=world.east_officer, news=news)
    assert anon.get(f"/news/photos/{p.pk}/").status_code == 404
    assert anon.get(f"/news/{news.pk}/").status_code == 404


def test_only_the_publisher_takes_news_down(world, api_as):
    news = news_publish(by=world.east_officer, title="标题", body="正文")
    west = Client()
    west.force_login(world.west_officer)
    assert west.post(f"/app/community/news/{news.pk}/unpublish/").status_code == 404
    assert api_as(world.west_officer).post(f"/community/news/{news.pk}/unpublish", {}).status_code == 404
    head = MembershipFactory(organization=world.east, role=Role.GRID_HEAD).user
    with pytest.raises(access.PermissionDenied):
        news_unpublish(by=head, news=news)
    with pytest.raises(access.PermissionDenied):
        news_publish(by=head, title="标题", body="正文")
    east = Client()
    east.force_login(world.east_officer)
    assert east.post(f"/app/community/news/{news.pk}/unpublish/").status_code == 302
    news.refresh_from_db()
    assert news.unpublished_at is not None


def test_officers_write_news_with_photos_on_the_page(world):
    c = Client()
    c.force_login(world.east_officer)
    bad = c.post("/app/community/news/new/", {"title": "", "body": ""})
    assert bad.status_code == 422
    ok = c.post(
        "/app/community/news/new/",
        {"title": "迎春活动", "body": "正文", "images": [photo("a.png"), photo("b.png")]},
    )
    assert ok.status_code == 302
    assert News.objects.get().photos.count() == 2


def test_the_api_publishes_and_lists(world, api_as):
    east = api_as(world.east_officer)
    made = east.post("/community/news", {"title": "标题", "body": "正文"})
    assert made.status_code == 201 and made.json()["organization_id"] == world.east.pk
    assert Client().get("/api/v1/news").json()["count"] == 1
    assert api_as(world.west_officer).get("/community/news").json()["count"] == 0


@pytest.mark.parametrize("size", [2, 14])
def test_public_news_costs_the_same_at_any_size_and_is_cacheable(world, size, django_assert_num_queries):
    for i in range(size):
        news_publish(
            by=world.east_officer, title=f"新闻{i}", body="正文", images=[photo()] if i % 3 == 0 else []
        )
    c = Client()
    with django_assert_num_queries(3):  # count, page, photos
        page = c.get("/news/")
    assert page.status_code == 200 and "public" in page["Cache-Control"]
    one = News.objects.first()
    with django_assert_num_queries(2):  # news, photos
        assert c.get(f"/news/{one.pk}/").status_code == 200
    with django_assert_num_queries(3):
        assert c.get("/api/v1/news").json()["count"] == size
