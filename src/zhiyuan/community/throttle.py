"""Limits on the public forms, per IP and per phone, kept in the Django cache — no captcha service.

Each limit is (count, seconds), counted by `core.ratelimit` (the same fixed-window counter as the ticket and
venue forms)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from zhiyuan.core.errors import Refused
from zhiyuan.core.ratelimit import client_ip, hit

__all__ = ["TooMany", "check", "client_ip"]


class TooMany(Refused):
    """Rate limit reached (HTTP 429 on the API, the form's error on a page)."""


def check(kind: str, *, ip: str, phone: str = "") -> None:
    """Raise TooMany when this IP or this phone has used up its attempts for `kind` ("help", "signup",
    "status")."""
    limits = {
        "help": (settings.ZHIYUAN_HELP_RATE_PER_IP, settings.ZHIYUAN_HELP_RATE_PER_PHONE),
        "signup": (settings.ZHIYUAN_SIGNUP_RATE_PER_IP, settings.ZHIYUAN_SIGNUP_RATE_PER_PHONE),
        "status": (settings.ZHIYUAN_STATUS_RATE_PER_IP, None),
    }
    per_ip, per_phone = limits[kind]
    if not hit(f"{kind}:ip", ip, limit=per_ip[0], window=per_ip[1]):
        raise TooMany(_("提交过于频繁，请稍后再试。如有急事请拨打站点服务热线。"))
    # digits only, the last eleven: "+86 138-1234-5678" and "13812345678" are one phone for the limit
    digits = "".join(ch for ch in phone if ch.isdigit())[-11:]
    if digits and per_phone and not hit(f"{kind}:phone", digits, limit=per_phone[0], window=per_phone[1]):
        raise TooMany(_("该电话号码提交次数过多，请稍后再试。如有急事请拨打站点服务热线。"))
