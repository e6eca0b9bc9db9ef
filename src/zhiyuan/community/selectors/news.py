"""Reads for news: what the public sees (published, not taken down) and the publishers' list."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhiyuan.community.models import News, NewsPhoto
from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm


def _photos() -> Prefetch:
    return Prefetch("photos", queryset=NewsPhoto.objects.order_by("order", "pk"))


def public_news() -> QuerySet[News]:
    return (
        News.objects.filter(published_at__isnull=False, unpublished_at__isnull=True)
        .prefetch_related(_photos())
        .order_by("-published_at", "-pk")
    )


def public_news_get(*, pk: object) -> News:
    return access.get_or_404(public_news(), pk=pk)


def public_photo_get(*, pk: object) -> NewsPhoto:
    qs = NewsPhoto.objects.filter(news__published_at__isnull=False, news__unpublished_at__isnull=True)
    return access.get_or_404(qs, pk=pk)


def news_list(*, user: Any) -> QuerySet[News]:
    """The publisher's own news, published or taken down; platform news only for global users."""
    scope = access.scope(user, Perm.COMMUNITY_CHANGE, via="organization")
    if access.is_global(user):
        scope = Q()
    return News.objects.filter(scope).select_related("organization").order_by("-published_at", "-pk")


def news_get(*, user: Any, pk: object) -> News:
    return access.get_or_404(news_list(user=user).prefetch_related(_photos()), pk=pk)
