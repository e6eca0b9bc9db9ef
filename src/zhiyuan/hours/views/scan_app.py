"""The installable scan app: its web app manifest and its service worker, both served under /app/scan/ so
the worker's scope covers the scan page (a worker served from /static/ could control only /static/)."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

FILES = ("css/app.css", "js/scan.js", "vendor/htmx.min.js", "favicon.svg", "icons/scan-192.png")


@functools.cache
def _version() -> str:
    """Changes whenever a kept file does, so phones drop the old copies (the names carry no hash)."""
    digest = hashlib.sha256()
    for name in FILES:
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


def _files() -> list[str]:
    return [static(name) for name in FILES]


def manifest(request: HttpRequest) -> JsonResponse:
    scan = reverse("hours:scan")
    body = {
        "name": _("志愿 · 签到签退"),
        "short_name": _("扫码签到"),
        "start_url": scan,
        "scope": scan,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "lang": "zh-CN",
        "icons": [
            {"src": static("icons/scan-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/scan-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@cache_control(no_cache=True)  # a new worker is picked up on the next visit
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "version": _version(),
        "page": reverse("hours:scan"),
        "files": json.dumps(_files()),
    }
    response = render(request, "hours/checkin/sw.js", context, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("hours:scan")
    return response
