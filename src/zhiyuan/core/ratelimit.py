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
    minutes = max(1, window // 60)
    return _("提交过于频繁，请%(m)s分钟后再试。如有急事请直接拨打服务热线。") % {"m": minutes}


def form_refusal(
    request: HttpRequest, *, scope: str, phone: str, per_ip: tuple[int, int], per_phone: tuple[int, int]
) -> str:
    """Count one public form submission from this IP and, when it is a valid mobile, this phone: the message
    to show once either has used up its (limit, seconds), else "". A bad phone is the form's to report."""
    ip_limit, ip_window = per_ip
    if not hit(f"{scope}-ip", client_ip(request), limit=ip_limit, window=ip_window):
        return limited_message(ip_window)
    try:
        number = phones.normalise_mobile(phone)
    except ValidationError:
        return ""
    phone_limit, phone_window = per_phone
    if not hit(f"{scope}-phone", number, limit=phone_limit, window=phone_window):
        return limited_message(phone_window)
    return ""
