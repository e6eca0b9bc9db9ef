"""What the officers' community pages share."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def page_of(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))


def querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_page(
    request: HttpRequest, form: Any, title: str, back: str, label: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back, "back_label": label}
    return render(request, "form.html", context, status=422 if form.errors else status)
