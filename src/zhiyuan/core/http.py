"""Request types for signed-in pages, so views type-check against the project's User."""

from django.http import HttpRequest

from zhiyuan.core.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
