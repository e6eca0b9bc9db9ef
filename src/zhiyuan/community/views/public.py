"""Public pages (no login): ask for help and follow it with a code, community events and their sign-up,
news. Lists and details sit in a CDN for a minute (`public_cache`); a page with a form's CSRF token or with
someone's code or status is `private, no-store` (`personal`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhiyuan.community import throttle
from zhiyuan.community.forms import HelpForm, SignupForm, StatusForm
from zhiyuan.community.models import HelpRequest
from zhiyuan.community.selectors import events as event_selectors
from zhiyuan.community.selectors import help as help_selectors
from zhiyuan.community.selectors import news as news_selectors
from zhiyuan.community.services import events as event_services
from zhiyuan.community.services import help as help_services
from zhiyuan.core import images
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.portal.http import personal, public_cache

T = "community/public/"


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))


# --- help ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@personal
def help_form(request: HttpRequest) -> HttpResponse:
    form = HelpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            throttle.check("help", ip=throttle.client_ip(request), phone=data["phone"])
            filed = submit(
                form,
                help_services.help_request_file,
                by=None,
                kind=data["kind"],
                description=data["description"],
                phone_number=data["phone"],
                name=data["name"],
                station=data["station"],
                place=data["place"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
            status = 429 if isinstance(exc, throttle.TooMany) else 409
            filed = None
        if filed is not None:
            return render(request, T + "help_filed.html", {"r": filed}, status=201)
    if request.method == "POST" and status == 200:
        status = 422
    return render(request, T + "help_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@personal
def help_status(request: HttpRequest) -> HttpResponse:
    """POST, so the code and digits stay out of URLs, logs and browser history."""
    form = StatusForm(request.POST or None)
    found: HelpRequest | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            throttle.check("status", ip=throttle.client_ip(request))
            found = help_selectors.help_lookup(
                code=form.cleaned_data["code"], last4=form.cleaned_data["last4"]
            )
            if found is None:
                form.add_error(None, _("查询码或电话后四位不正确。"))
                status = 404
        except throttle.TooMany as exc:
            form.add_error(None, str(exc))
            status = 429
    return render(request, T + "help_status.html", {"form": form, "r": found}, status=status)


# --- events ----------------------------------------------------------------------------------------------


@public_cache()
def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, T + "event_list.html", {"page": _page(request, event_selectors.public_events())})


@public_cache()
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, T + "event_detail.html", {"e": event_selectors.public_event_get(pk=pk)})


@require_http_methods(["GET", "POST"])
@personal
def event_signup(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_selectors.public_event_get(pk=pk)
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                throttle.check("signup", ip=throttle.client_ip(request), phone=data["phone"])
                signup = submit(
                    form,
                    event_services.event_signup_create,
                    event=event,
                    name=data["name"],
                    phone_number=data["phone"],
                    party_size=data["party_size"],
                )
            except Refused as exc:
                form.add_error(None, str(exc))
                status = 429 if isinstance(exc, throttle.TooMany) else 409
                signup = None
            if signup is not None:
                return render(request, T + "event_signed_up.html", {"e": event, "s": signup}, status=201)
    return render(request, T + "event_signup.html", {"e": event, "form": form}, status=status)


# --- news ------------------------------------------------------------------------------------------------


@public_cache()
def news_list(request: HttpRequest) -> HttpResponse:
    return render(request, T + "news_list.html", {"page": _page(request, news_selectors.public_news())})


@public_cache()
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, T + "news_detail.html", {"n": news_selectors.public_news_get(pk=pk)})


@public_cache(max_age=3600)
def news_photo(request: HttpRequest, pk: int) -> Any:
    photo = news_selectors.public_photo_get(pk=pk)
    response = images.serve(photo.image, thumb=request.GET.get("thumb") == "1")
    del response["Cache-Control"]  # a published photo is public: let public_cache set it
    return response
