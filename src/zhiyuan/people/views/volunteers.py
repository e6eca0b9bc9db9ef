"""Volunteer pages: public registration, my profile, and the officers' register (/app/volunteers/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access, ratelimit
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.core.phones import mask_mobile
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.forms import EnterForm, ProfileForm, RegisterForm, RevealForm, VolunteerSearchForm
from zhiyuan.people.models import Volunteer
from zhiyuan.people.selectors import volunteers as selectors
from zhiyuan.people.services.phone import phone_code_send
from zhiyuan.people.services.volunteers import (
    volunteer_enter,
    volunteer_register,
    volunteer_reveal_id,
    volunteer_update,
)

# (attempts, seconds): each attempt checks an SMS code, so guessing is bounded per IP and per mobile
REGISTER_LIMITS = {"per_ip": (20, 3600), "per_phone": (10, 3600)}


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and hasattr(request.user, "volunteer"):
        return redirect("people:me")
    form = RegisterForm(request.POST or None)
    limited = ""
    if request.method == "POST":
        limited = ratelimit.form_refusal(
            request, scope="register", phone=request.POST.get("mobile", ""), **REGISTER_LIMITS
        )
        if limited:
            form.add_error(None, limited)
    if request.method == "POST" and not limited and form.is_valid():
        volunteer = submit(form, volunteer_register, **form.cleaned_data)
        if volunteer is not None:
            login(request, volunteer.user, backend="zhiyuan.accounts.backends.LoginBackend")
            messages.success(
                request, _("注册成功！您的志愿者编号是 %(number)s。") % {"number": volunteer.number}
            )
            return redirect("people:me")
    context = {"form": form, "privacy_version": settings.ZHIYUAN_PRIVACY_VERSION}
    return render(request, "people/register.html", context)


@require_POST
def register_code(request: HttpRequest) -> HttpResponse:
    """htmx: send the one-time code to the mobile typed in the registration form."""
    limited = ratelimit.sms_refusal(request, mobile=request.POST.get("mobile", ""))
    if limited:
        return render(request, "people/_code_status.html", {"error": limited}, status=429)
    try:
        phone_code_send(mobile=request.POST.get("mobile", ""))
    except ValidationError as exc:
        return render(request, "people/_code_status.html", {"error": exc.messages[0]})
    except Refused as exc:
        return render(request, "people/_code_status.html", {"error": str(exc)})
    return render(request, "people/_code_status.html", {"sent": True})


@login_required
def me(request: AuthedHttpRequest) -> HttpResponse:
    volunteer = Volunteer.objects.filter(user=request.user).select_related("home_organization").first()
    if volunteer is None:
        return render(request, "people/me_none.html")
    context = {
        "v": volunteer,
        "teams": list(selectors.volunteer_teams(volunteer=volunteer)),
        "skills": list(volunteer.skills.all()),
        "categories": list(volunteer.service_categories.all()),
    }
    return render(request, "people/me.html", context)


@login_required
def me_edit(request: AuthedHttpRequest) -> HttpResponse:
    volunteer = Volunteer.objects.filter(user=request.user).first()
    if volunteer is None:
        return redirect("register")
    return _edit(request, volunteer, back="people:me")


def _edit(request: AuthedHttpRequest, volunteer: Volunteer, back: str) -> HttpResponse:
    back_url = reverse(back, args=[volunteer.number] if back == "people:detail" else None)
    initial: dict[str, Any] = {
        f: getattr(volunteer, f) for f in ProfileForm.base_fields if hasattr(volunteer, f)
    }
    initial.update(skills=volunteer.skills.all(), service_categories=volunteer.service_categories.all())
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            done = submit(form, volunteer_update, by=request.user, volunteer=volunteer, **form.cleaned_data)
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect(back_url)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("修改资料"),
            "back_url": back_url,
            "back_label": volunteer.user.display_name,
        },
    )


@login_required
def volunteer_search(request: AuthedHttpRequest) -> HttpResponse:
    # A mobile or an ID or volunteer number is searched by POST, so it never reaches a URL or an access
    # log; a GET (a bookmark, the pager) keeps a name or pinyin term and drops one with digits.
    source = request.POST if request.method == "POST" else request.GET
    form = VolunteerSearchForm(source or None)
    form.is_valid()
    # an invalid field (an old link's skill code) is dropped and shown as an error; the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    term = data.get("q", "")
    if request.method != "POST" and any(ch.isdigit() for ch in term):
        term = ""
    filters: dict[str, Any] = {"search": term, "skill": data.get("skill", "")}
    if data.get("district"):
        filters["district"] = data["district"].pk
    page = Paginator(
        selectors.volunteer_list(user=request.user, **filters), settings.ZHIYUAN_PAGE_SIZE
    ).get_page(source.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_enter": access.organizations(request.user, Perm.VOLUNTEER_CHANGE).exists(),
        "querystring": _without_page(request),
        "posted": request.method == "POST",
        "term": term,
    }
    template = "people/_volunteer_rows.html" if request.htmx else "people/volunteer_search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def volunteer_detail(request: AuthedHttpRequest, number: str) -> HttpResponse:
    volunteer = selectors.volunteer_get(user=request.user, number=number)
    own = volunteer.user_id == request.user.pk
    can_change = access.can(request.user, Perm.VOLUNTEER_CHANGE, volunteer.home_organization)
    context = {
        "v": volunteer,
        "teams": list(selectors.volunteer_teams(volunteer=volunteer)),
        "skills": list(volunteer.skills.all()),
        "can_reveal": access.can(request.user, Perm.PERSON_REVEAL, volunteer.home_organization),
        "can_change": can_change,
        # the full mobile is for those who manage the volunteer and may need to call them
        "mobile": volunteer.user.mobile if can_change or own else mask_mobile(volunteer.user.mobile),
        "reveal_form": RevealForm(),
    }
    return render(request, "people/volunteer_detail.html", context)


@login_required
@require_POST
def volunteer_reveal(request: AuthedHttpRequest, number: str) -> HttpResponse:
    volunteer = selectors.volunteer_get(user=request.user, number=number)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            revealed = submit(
                form, volunteer_reveal_id, by=request.user, volunteer=volunteer, **form.cleaned_data
            )
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)
    return render(request, "people/_reveal.html", {"v": volunteer, "revealed": revealed, "reveal_form": form})


@login_required
def volunteer_enter_view(request: AuthedHttpRequest) -> HttpResponse:
    organizations = access.organizations(request.user, Perm.VOLUNTEER_CHANGE).order_by("path")
    if not organizations.exists():
        return render(request, "403.html", {"message": _("您无权代为登记志愿者。")}, status=403)
    form = EnterForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = submit(form, volunteer_enter, by=request.user, **form.cleaned_data)
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)
        if volunteer is not None:
            messages.success(request, _("已登记志愿者 %(number)s。") % {"number": volunteer.number})
            return redirect("people:detail", number=volunteer.number)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("代为登记志愿者"),
            "back_url": reverse("people:search"),
            "back_label": _("志愿者"),
        },
    )


@login_required
def volunteer_edit(request: AuthedHttpRequest, number: str) -> HttpResponse:
    volunteer = selectors.volunteer_get(user=request.user, number=number)
    return _edit(request, volunteer, back="people:detail")
