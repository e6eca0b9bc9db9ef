"""Cache headers for public pages, and the cache-safe language switch.

A public page may sit in a CDN for a minute: it carries no CSRF token, no name and nothing that depends on
who asks, and it varies on the language cookie. A page that shows a personal code or holds a form (with its
CSRF token) is `private, no-store`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

View = Callable[..., HttpResponseBase]
PUBLIC_MAX_AGE = 60


def public_cache(max_age: int = PUBLIC_MAX_AGE) -> Callable[[View], View]:
    """`public, max-age` on a successful anonymous GET; anything else (a signed-in user, an error) private."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if response.has_header("Cache-Control"):
                return response
            anonymous = not getattr(request, "user", None) or not request.user.is_authenticated
            if request.method in ("GET", "HEAD") and anonymous and response.status_code == 200:
                patch_cache_control(response, public=True, max_age=max_age)
            else:
                patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            return response

        return wrapper

    return decorator


def personal(view: View) -> View:
    """A page with someone's code or a form's CSRF token: never stored by a browser cache or a CDN."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


@require_GET
@personal
def language(request: HttpRequest, code: str) -> HttpResponseBase:
    """Switch language by a link (no form, so cached pages need no CSRF token) and go back."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response
