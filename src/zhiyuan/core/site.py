"""The site's public address, for links that leave the browser: e-mail, SMS, certificates, posters.

A notification stores a path (`/app/reports/12/`); whatever sends it outside the site turns that into an
absolute link with `absolute_url`. The base is `ZHIYUAN_SITE_URL` (DESIGN.md §5), never the request's Host
header: a background task has no request, and a forged Host must not end up in a message."""

from __future__ import annotations

from django.conf import settings

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The configured base, without a trailing slash."""
    return str(getattr(settings, "ZHIYUAN_SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """`/app/inbox/` → `https://zhiyuan.example.cn/app/inbox/`; an absolute URL or "" is returned as is."""
    if not path or path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return site_url() + path
