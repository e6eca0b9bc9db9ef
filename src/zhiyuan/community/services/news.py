"""新闻: officers write and unpublish news; the reporting app publishes selected submissions through
`news_publish(..., source_submission_id=…)`, which is idempotent for one submission."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.community.models import News, NewsPhoto
from zhiyuan.community.services.common import Errors, add, raise_if, text
from zhiyuan.core import access, audit
from zhiyuan.core import images as core_images  # `images` is news_publish's parameter (the lead's call)
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

MAX_PHOTOS = 9


def _home(by: Any) -> Organization | None:
    """The highest organisation where `by` may publish; None for the platform (superuser)."""
    if access.is_global(by):
        return None
    return access.organizations(by, Perm.COMMUNITY_CHANGE).order_by("path").first()


@transaction.atomic
def news_publish(
    *,
    by: Any,
    title: str,
    body: str,
    images: Iterable[Any] = (),
    source_submission_id: int | None = None,
    organization: Organization | None = None,
    source_label: str = "",
) -> News:
    """Publish now. `images` are uploaded files (checked and re-encoded by core.images). Publishing the same
    submission again returns the news already made from it."""
    if source_submission_id is not None:
        existing = News.objects.filter(source_submission_id=source_submission_id).first()
        if existing is not None:
            return existing
    organization = organization or _home(by)
    if organization is None and not access.is_global(by):
        raise access.PermissionDenied(_("您没有发布新闻的权限。"))
    if organization is not None and not access.can(by, Perm.COMMUNITY_CHANGE, organization):
        raise access.PermissionDenied(_("您没有发布新闻的权限。"))
    errors: Errors = {}
    title = text(title, "title", 200, errors, _("请填写标题。"))
    body = text(body, "body", 20000, errors, _("请填写正文。"))
    source_label = text(source_label, "source_label", 100, errors)
    files = [f for f in images if f]
    if len(files) > MAX_PHOTOS:
        add(errors, "images", _("最多上传%(n)d张照片。") % {"n": MAX_PHOTOS})
    photos = [core_images.prepare(f, errors, "images") for f in files[:MAX_PHOTOS]]
    raise_if(errors)
    news = News(
        organization=organization,
        title=title,
        body=body,
        source_label=source_label or (organization.name if organization else ""),
        source_submission_id=source_submission_id,
        published_at=timezone.now(),
        published_by=by,
    )
    audit.attribute(news, by)
    news.save()
    for order, photo in enumerate(p for p in photos if p is not None):
        row = NewsPhoto(news=news, order=order)
        core_images.attach(row.image, photo)
        row.save()
    return news


def _require(by: Any, news: News) -> None:
    allowed = access.is_global(by) or (
        news.organization is not None and access.can(by, Perm.COMMUNITY_CHANGE, news.organization)
    )
    if not allowed:
        raise access.PermissionDenied(_("只有发布单位可以撤下此新闻。"))


@transaction.atomic
def news_unpublish(*, by: Any, news: News) -> News:
    _require(by, news)
    if news.unpublished_at is not None:
        raise Refused(_("此新闻已撤下。"))
    news.unpublished_at = timezone.now()
    audit.attribute(news, by)
    news.save(update_fields=["unpublished_at", "updated_at"])
    return news


@transaction.atomic
def news_republish(*, by: Any, news: News) -> News:
    _require(by, news)
    news.unpublished_at = None
    audit.attribute(news, by)
    news.save(update_fields=["unpublished_at", "updated_at"])
    return news
