"""Rate limits on the public forms, in the Django cache (no captcha service): per IP and per phone.

The counter is a fixed window: `cache.add` opens it, `cache.incr` counts. With the default local-memory
cache each worker process counts for itself; a deployment with several processes configures a shared cache
(Redis or the database cache) and the limits hold across them.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _


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
