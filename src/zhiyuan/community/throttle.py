"""Limits on the public forms, per IP and per phone, kept in the Django cache — no captcha service.

A window is fixed (count, seconds): the first hit creates the counter with the window as its lifetime, later
hits increment it. Checking and counting are one step, so a refused attempt costs nothing more."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from zhiyuan.core.errors import Refused


class TooMany(Refused):
    """Rate limit reached (HTTP 429 on the API, the form's error on a page)."""


def _key(kind: str, value: str) -> str:
    # phone numbers and addresses are personal data: the cache holds only their hash
    return "zy:rate:" + kind + ":" + hashlib.sha256(value.encode()).hexdigest()[:32]


def hit(kind: str, value: str, limit: tuple[int, int]) -> bool:
    """Count one attempt; False when the limit for this window is already reached."""
    count, seconds = limit
    key = _key(kind, value)
    if cache.add(key, 1, seconds):
        return True
    try:
        return cache.incr(key) <= count
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return True


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a known proxy rewrites it
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def check(kind: str, *, ip: str, phone: str = "") -> None:
    """Raise TooMany when this IP or this phone has used up its attempts for `kind` ("help", "signup",
    "status")."""
    limits = {
        "help": (settings.ZHIYUAN_HELP_RATE_PER_IP, settings.ZHIYUAN_HELP_RATE_PER_PHONE),
        "signup": (settings.ZHIYUAN_SIGNUP_RATE_PER_IP, settings.ZHIYUAN_SIGNUP_RATE_PER_PHONE),
        "status": (settings.ZHIYUAN_STATUS_RATE_PER_IP, None),
    }
    per_ip, per_phone = limits[kind]
    if not hit(f"{kind}:ip", ip, per_ip):
        raise TooMany(_("提交过于频繁，请稍后再试。如有急事请拨打站点服务热线。"))
    # digits only, the last eleven: "+86 138-1234-5678" and "13812345678" are one phone for the limit
    digits = "".join(ch for ch in phone if ch.isdigit())[-11:]
    if digits and per_phone and not hit(f"{kind}:phone", digits, per_phone):
        raise TooMany(_("该电话号码提交次数过多，请稍后再试。如有急事请拨打站点服务热线。"))
