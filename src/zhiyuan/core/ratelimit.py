"""Rate limits on the public forms, in the Django cache (no captcha service): per IP and per phone.

The counter is a fixed window: `cache.add` opens it, `cache.incr` counts. With the default local-memory
cache each worker process counts for itself; a deployment with several processes configures a shared cache
(Redis or the database cache) and the limits hold across them.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from zhiyuan.core import phones


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by whoever sends the request, so trusting it would let an
    # abuser pick a fresh "IP" per request; behind a proxy, the proxy must set REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once `key` has used up `limit` attempts in `window` seconds."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]  # no phone number in the cache
    name = f"rl:{scope}:{digest}"
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window)
        count = 1
    return count <= limit


def limited_message(window: int) -> str:
    if window >= 24 * 3600:
        return _("提交过于频繁，今天的次数已用完，请明天再试。如有急事请直接拨打服务热线。")
    minutes = max(1, window // 60)
    return _("提交过于频繁，请%(m)s分钟后再试。如有急事请直接拨打服务热线。") % {"m": minutes}


def form_refusal(
    request: HttpRequest,
    *,
    scope: str,
    phone: str,
    per_ip: tuple[int, int],
    per_phone: tuple[int, int],
    per_ip_day: tuple[int, int] | None = None,
) -> str:
    """Count one public form submission from this IP and, when it is a valid mobile, this phone: the message
    to show once either has used up its (limit, seconds), else "". A bad phone is the form's to report.
    `per_ip_day` adds a second, longer window per IP: what bounds a client that invents a phone each time."""
    ip_limit, ip_window = per_ip
    if not hit(f"{scope}-ip", client_ip(request), limit=ip_limit, window=ip_window):
        return limited_message(ip_window)
    if per_ip_day is not None:
        day_limit, day_window = per_ip_day
        if not hit(f"{scope}-ip-day", client_ip(request), limit=day_limit, window=day_window):
            return limited_message(day_window)
    try:
        number = phones.normalise_mobile(phone)
    except ValidationError:
        return ""
    phone_limit, phone_window = per_phone
    if not hit(f"{scope}-phone", number, limit=phone_limit, window=phone_window):
        return limited_message(phone_window)
    return ""


# One-time codes cost money and reach a stranger's phone: per IP (hour and day) and per mobile (day), on
# top of the per-mobile resend interval the code service keeps in the database. Counted whether or not the
# mobile has an account, so the limits tell nothing either.
SMS_LIMITS = {"ip_hour": (10, 3600), "ip_day": (30, 24 * 3600), "mobile_day": (10, 24 * 3600)}


def sms_refusal(request: HttpRequest, *, mobile: str) -> str:
    """Count one request for an SMS code; the message to show once a limit is used up, else ""."""
    ip = client_ip(request)
    for scope, key, (limit, window) in (
        ("sms-ip-hour", ip, SMS_LIMITS["ip_hour"]),
        ("sms-ip-day", ip, SMS_LIMITS["ip_day"]),
    ):
        if not hit(scope, key, limit=limit, window=window):
            return limited_message(window)
    try:
        number = phones.normalise_mobile(mobile)
    except ValidationError:
        return ""
    limit, window = SMS_LIMITS["mobile_day"]
    if not hit("sms-mobile-day", number, limit=limit, window=window):
        return _("该手机号今天获取验证码的次数已达上限，请明天再试。")
    return ""
