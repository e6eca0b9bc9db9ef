"""What the officer pages share: pagination and running a service from a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit


def page_of(request: HttpRequest, qs: Any) -> Page:
    return Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))


def run(form: Any, service: Callable[..., Any], **kwargs: Any) -> Any:
    """The service's field errors on the form's fields, a refusal on the form; None when it failed."""
    try:
        return submit(form, service, **kwargs)
    except Refused as exc:
        form.add_error(None, str(exc))
        return None


def form_page(request: HttpRequest, form: Any, title: str, back_url: str, status: int = 200) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back_url, "back_label": title}
    return render(request, "form.html", context, status=422 if form.errors else status)
