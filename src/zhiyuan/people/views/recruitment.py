"""招募公告 pages: the public notices (/recruit/), the officers' workspace (/app/recruitments/), the review
queue and the volunteer's own applications (/app/me/applications/). Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Application, Recruitment
from zhiyuan.people.recruitment_forms import ApplyForm, DecideForm, RecruitmentForm
from zhiyuan.people.selectors import recruitment as selectors
from zhiyuan.people.services import recruitment as services


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))


def _forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "403.html", {"message": message or str(access.PermissionDenied())}, status=403)


def _htmx(request: HttpRequest) -> bool:
    """django-htmx's middleware marks requests made by htmx, which get a fragment instead of a page."""
    return bool(getattr(request, "htmx", False))


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- public -----------------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    state = "closed" if request.GET.get("state") == "closed" else "open"
    query = request.GET.get("q", "").strip()
    context = {
        "page": _page(request, selectors.recruitment_public_list(state=state, search=query)),
        "state": state,
        "query": query,
        "querystring": _querystring(request),
        "can_manage": access.organizations(request.user, Perm.VOLUNTEER_VIEW).exists(),
    }
    template = "_public_rows.html" if _htmx(request) else "public_list.html"
    return render(request, f"people/recruitment/{template}", context)


def _apply_context(request: HttpRequest, r: Recruitment, **extra: Any) -> dict[str, Any]:
    volunteer = selectors.my_volunteer(user=request.user)
    application = selectors.my_application_for(user=request.user, recruitment=r) if volunteer else None
    if application is not None and application.status == Application.Status.WITHDRAWN:
        application = None  # may apply again
    return {
        "r": r,
        "volunteer": volunteer,
        "application": application,
        "too_young": volunteer is not None and volunteer.age < r.minimum_age,
        "apply_form": extra.pop("apply_form", None) or ApplyForm(),
        **extra,
    }


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = selectors.recruitment_public_get(pk=pk)
    context = _apply_context(request, r, skills=list(r.skills.all()))
    return render(request, "people/recruitment/public_detail.html", context)


@login_required
def public_apply(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.recruitment_public_get(pk=pk)
    if request.method != "POST":  # e.g. back from the login page
        return redirect("recruit_detail", pk=r.pk)
    volunteer = selectors.my_volunteer(user=request.user)
    form = ApplyForm(request.POST)
    error = ""
    if volunteer is None:
        error = _("请先注册成为志愿者。")
    elif form.is_valid():
        try:
            services.application_create(
                by=request.user, recruitment=r, volunteer=volunteer, **form.cleaned_data
            )
        except (Refused, access.PermissionDenied) as exc:
            error = str(exc)
    if not _htmx(request):
        if error:
            messages.error(request, error)
        elif form.is_valid():
            messages.success(request, _("报名成功，请等待审核。"))
        return redirect("recruit_detail", pk=r.pk)
    r = selectors.recruitment_public_get(pk=pk)  # places left may have changed
    context = _apply_context(request, r, error=error, apply_form=form if form.errors else None)
    context["just_applied"] = not error and not form.errors
    return render(request, "people/recruitment/_apply.html", context)


# --- the volunteer's own applications ---------------------------------------------------------------------


@login_required
def my_applications(request: AuthedHttpRequest) -> HttpResponse:
    volunteer = selectors.my_volunteer(user=request.user)
    context = {
        "volunteer": volunteer,
        "page": _page(request, selectors.my_applications(user=request.user)) if volunteer else None,
    }
    return render(request, "people/recruitment/my_applications.html", context)


@login_required
@require_POST
def application_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.my_application_get(user=request.user, pk=pk)
    try:
        services.application_withdraw(by=request.user, application=application)
        messages.success(request, _("已撤回报名。"))
    except Refused as exc:
        messages.error(request, str(exc))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("people:my_applications")
    return redirect(back)


# --- officers' workspace ----------------------------------------------------------------------------------


@login_required
def recruitment_list(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Recruitment.Status.values else ""
    query = request.GET.get("q", "").strip()
    context = {
        "page": _page(request, selectors.recruitment_list(user=request.user, status=status, search=query)),
        "status": status,
        "statuses": Recruitment.Status.choices,
        "query": query,
        "querystring": _querystring(request),
        "can_create": access.organizations(request.user, Perm.RECRUITMENT_CHANGE).exists(),
    }
    template = "_rows.html" if _htmx(request) else "list.html"
    return render(request, f"people/recruitment/{template}", context)


def _form_page(
    request: AuthedHttpRequest, form: RecruitmentForm, title: str, back: str, label: str
) -> HttpResponse:
    return render(request, "form.html", {"form": form, "title": title, "back_url": back, "back_label": label})


@login_required
def recruitment_create(request: AuthedHttpRequest) -> HttpResponse:
    if not access.organizations(request.user, Perm.RECRUITMENT_CHANGE).exists():
        return _forbidden(request, _("您无权发布招募公告。"))
    form = RecruitmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            r = submit(form, services.recruitment_create, by=request.user, **form.cleaned_data)
        except access.PermissionDenied as exc:
            return _forbidden(request, str(exc))
        if r is not None:
            messages.success(request, _("已保存草稿“%(title)s”，核对后即可发布。") % {"title": r.title})
            return redirect("people:recruitment", pk=r.pk)
    back = reverse("people:recruitments")
    return _form_page(request, form, _("新建招募公告"), back, _("招募公告"))


@login_required
def recruitment_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.recruitment_get(user=request.user, pk=pk)
    context = {
        "r": r,
        "skills": list(r.skills.all()),
        "can_manage": access.can(request.user, Perm.RECRUITMENT_CHANGE, r.organization),
        "can_decide": access.can(request.user, Perm.RECRUITMENT_CHANGE, r.team),
        "editable": r.status in services.EDITABLE_STATUSES,
        "history": list(r.history.select_related("history_user")[:10])
        if access.can(request.user, Perm.AUDIT_VIEW, r.organization)
        else None,
    }
    return render(request, "people/recruitment/detail.html", context)


@login_required
def recruitment_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.recruitment_get(user=request.user, pk=pk)
    if not access.can(request.user, Perm.RECRUITMENT_CHANGE, r.organization):
        return _forbidden(request)
    if r.status not in services.EDITABLE_STATUSES:
        messages.error(
            request,
            _("“%(title)s”%(status)s，不能再修改。") % {"title": r.title, "status": r.get_status_display()},
        )
        return redirect("people:recruitment", pk=r.pk)
    form = RecruitmentForm(request.POST or None, user=request.user, recruitment=r)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["hours_recorder"] = data["hours_recorder"] or data["organization"]
        try:
            done = submit(form, services.recruitment_update, by=request.user, recruitment=r, **data)
        except access.PermissionDenied as exc:
            return _forbidden(request, str(exc))
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("people:recruitment", pk=r.pk)
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect("people:recruitment", pk=r.pk)
    back = reverse("people:recruitment", args=[r.pk])
    return _form_page(request, form, _("编辑：%(title)s") % {"title": r.title}, back, r.title)


def _transition(request: AuthedHttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    r = selectors.recruitment_get(user=request.user, pk=pk)
    try:
        service(by=request.user, recruitment=r)
        messages.success(request, done % {"title": r.title})
    except access.PermissionDenied as exc:
        return _forbidden(request, str(exc))
    except Refused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _("请先修改公告：%(problems)s") % {"problems": "；".join(exc.messages)})
    return redirect("people:recruitment", pk=r.pk)


@login_required
@require_POST
def recruitment_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.recruitment_publish, _("已发布“%(title)s”。"))


@login_required
@require_POST
def recruitment_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.recruitment_close, _("“%(title)s”已结束招募。"))


@login_required
@require_POST
def recruitment_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.recruitment_cancel, _("已取消“%(title)s”。"))


@login_required
def applications(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.recruitment_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    status = status if status in Application.Status.values else ""
    context = {
        "r": r,
        "page": _page(request, selectors.application_list(user=request.user, recruitment=r, status=status)),
        "status": status,
        "statuses": Application.Status.choices,
        "querystring": _querystring(request),
        "can_decide": access.can(request.user, Perm.RECRUITMENT_CHANGE, r.team),
    }
    return render(request, "people/recruitment/applications.html", context)


@login_required
@require_POST
def application_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    error = ""
    if not form.is_valid() or form.cleaned_data["approve"] is None:
        error = _("请选择录用或不录用。")
    else:
        try:
            services.application_decide(by=request.user, application=application, **form.cleaned_data)
        except access.PermissionDenied as exc:
            return _forbidden(request, str(exc))
        except Refused as exc:
            error = str(exc)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    if not _htmx(request):
        if error:
            messages.error(request, error)
        return redirect("people:applications", pk=application.recruitment_id)
    context = {
        "a": selectors.application_get(user=request.user, pk=pk),
        "r": selectors.recruitment_get(user=request.user, pk=application.recruitment_id),
        "can_decide": True,
        "error": error,
        "reason": form.data.get("reason", "") if error else "",
        "oob": True,
    }
    return render(request, "people/recruitment/_application_row.html", context)
