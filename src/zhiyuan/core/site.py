"""The public base address of this installation (`ZHIYUAN_SITE_URL`): the one place that turns a path
into the absolute link printed on a certificate or a poster, or sent in an e-mail or SMS.

A request's own host is not used: a poster printed from an office PC on the intranet, or a task run by
the worker (no request at all), must still carry the address the public reaches."""

from __future__ import annotations

from django.conf import settings

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The configured base address, without a trailing slash."""
    return str(getattr(settings, "ZHIYUAN_SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (e.g. ``/verify/ZM2026-…/``) as an absolute link on the public site; an absolute link is
    returned as it is, an empty one stays empty."""
    if not path or path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return site_url() + path
