"""Request types for signed-in pages, so views type-check against the project's User."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from zhiyuan.core import access
from zhiyuan.core.models import User


class AuthedHttpRequest(HttpRequest):
    user: User


def denied_is_403(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A refused permission shows the 403 page: the object was visible, so it is not a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)

    return wrapper
