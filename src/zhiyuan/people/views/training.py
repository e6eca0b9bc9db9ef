"""Training pages (/app/training/…, /app/me/training/). Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.people.models import TrainingCourse, TrainingSession, Volunteer
from zhiyuan.people.selectors import training as selectors
from zhiyuan.people.selectors.volunteers import volunteer_list
from zhiyuan.people.services import training as services
from zhiyuan.people.training_forms import CompletionForm, CourseForm, MaterialForm, RequireForm, SessionForm


def _form_page(request: HttpRequest, form: Any, title: str, course: TrainingCourse | None) -> HttpResponse:
    back = (
        {"back_url": reverse("people:training_detail", args=[course.pk]), "back_label": course.name}
        if course
        else {"back_url": reverse("people:training_list"), "back_label": _("培训")}
    )
    return render(request, "form.html", {"form": form, "title": title, **back})


def _managed_course(request: AuthedHttpRequest, pk: int) -> TrainingCourse:
    course = selectors.course_get(user=request.user, pk=pk)
    if not selectors.can_manage(request.user, course.organizer):
        raise access.PermissionDenied()
    return course


@login_required
@denied_is_403
def course_list(request: AuthedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(
        selectors.course_list(user=request.user, search=query), settings.ZHIYUAN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "can_create": selectors.manages_any(request.user)}
    return render(request, "people/training/course_list.html", context)


@login_required
@denied_is_403
def course_create(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.manages_any(request.user):
        raise access.PermissionDenied()
    orgs = selectors.manageable_organizations(request.user)
    form = CourseForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        course = submit(form, services.course_create, by=request.user, **form.cleaned_data)
        if course is not None:
            messages.success(request, _("已创建培训“%(name)s”。") % {"name": course.name})
            return redirect("people:training_detail", pk=course.pk)
    return _form_page(request, form, _("新建培训"), None)


@login_required
@denied_is_403
def course_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    context = {
        "course": course,
        "materials": list(selectors.material_list(course=course)),
        "sessions": list(selectors.session_list(course=course)),
        "required_for": selectors.course_required_for(course=course),
        "can_manage": selectors.can_manage(request.user, course.organizer),
    }
    return render(request, "people/training/course_detail.html", context)


@login_required
@denied_is_403
def course_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    course = _managed_course(request, pk)
    initial = {f: getattr(course, f) for f in ("name", "content", "hours", "organizer", "date")}
    orgs = selectors.manageable_organizations(request.user)
    form = CourseForm(request.POST or None, initial=initial, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        done = submit(form, services.course_update, by=request.user, course=course, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect("people:training_detail", pk=course.pk)
    return _form_page(request, form, _("编辑：%(name)s") % {"name": course.name}, course)


@login_required
@denied_is_403
def material_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    course = _managed_course(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        material = submit(
            form,
            services.material_add,
            by=request.user,
            course=course,
            title=data["title"],
            file=data["file"],
            url=data["url"],
        )
        if material is not None:
            messages.success(request, _("已添加资料“%(title)s”。") % {"title": material.title})
            return redirect("people:training_detail", pk=course.pk)
    return render(request, "people/training/material_form.html", {"form": form, "course": course})


@login_required
@denied_is_403
def material_download(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """Files are served through here, not from MEDIA_URL, so only those who may see the course get them."""
    material = selectors.material_get(user=request.user, pk=pk)
    if not material.file:
        raise Http404(_("未找到。"))
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=selectors.material_filename(material)
    )


@login_required
@denied_is_403
@require_POST
def material_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get(user=request.user, pk=pk)
    services.material_remove(by=request.user, material=material)
    messages.success(request, _("已删除资料“%(title)s”。") % {"title": material.title})
    return redirect("people:training_detail", pk=material.course_id)


@login_required
@denied_is_403
def session_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    course = _managed_course(request, pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = submit(form, services.session_create, by=request.user, course=course, **form.cleaned_data)
        if session is not None:
            messages.success(request, _("已添加培训场次。"))
            return redirect("people:training_session", pk=session.pk)
    return _form_page(request, form, _("添加场次：%(name)s") % {"name": course.name}, course)


@login_required
@denied_is_403
def course_require(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    course = _managed_course(request, pk)
    form = RequireForm(request.POST or None, organizations=selectors.manageable_organizations(request.user))
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["required_for"]
        done = submit(form, services.course_require_for, by=request.user, course=course, organizations=[org])
        if done is not None:
            messages.success(request, _("“%(org)s”的志愿者须完成本培训。") % {"org": org.name})
            return redirect("people:training_detail", pk=course.pk)
    return _form_page(request, form, _("设为必修：%(name)s") % {"name": course.name}, course)


@login_required
@denied_is_403
@require_POST
def course_unrequire(request: AuthedHttpRequest, pk: int, org_pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    org = access.get_or_404(course.required_for.all(), pk=org_pk)
    services.course_unrequire_for(by=request.user, course=course, organizations=[org])
    messages.success(request, _("已取消“%(org)s”的必修要求。") % {"org": org.name})
    return redirect("people:training_detail", pk=course.pk)


@login_required
@denied_is_403
def completion_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    course = _managed_course(request, pk)
    form = CompletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer = volunteer_list(user=request.user).filter(number=data["volunteer"].strip().upper()).first()
        recorded = None
        if volunteer is None:
            form.add_error("volunteer", _("未找到该志愿者。"))
        else:
            recorded = submit(
                form,
                services.completion_record,
                by=request.user,
                course=course,
                volunteer=volunteer,
                completed_on=data["completed_on"],
            )
        if volunteer is not None and recorded is not None:
            messages.success(request, _("已登记%(name)s完成本培训。") % {"name": volunteer.user.display_name})
            return redirect("people:training_detail", pk=course.pk)
    return _form_page(request, form, _("登记完成：%(name)s") % {"name": course.name}, course)


def _own_volunteer(request: AuthedHttpRequest) -> Volunteer | None:
    if not access.has_volunteer_profile(request.user):  # read with the grants: no query for an officer
        return None
    return Volunteer.objects.filter(user=request.user).first()


def _session_context(request: AuthedHttpRequest, session: TrainingSession) -> dict[str, Any]:
    can_manage = selectors.can_manage(request.user, session.course.organizer)
    volunteer = _own_volunteer(request)
    return {
        "s": session,
        "course": session.course,
        "can_manage": can_manage,
        "sheet": list(selectors.attendance_sheet(session=session)) if can_manage else [],
        "volunteer": volunteer,
        "mine": selectors.attendance_of(session=session, volunteer=volunteer),
    }


@login_required
@denied_is_403
def session_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    return render(request, "people/training/session_detail.html", _session_context(request, session))


@login_required
@denied_is_403
@require_POST
def session_attendance(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The bulk sheet: every listed volunteer is marked, ticked ones attended, the rest absent."""
    session = selectors.session_get(user=request.user, pk=pk)
    try:
        listed = {int(v) for v in request.POST.getlist("listed")}
        attended = listed if request.POST.get("all") else {int(v) for v in request.POST.getlist("attended")}
    except ValueError:
        return HttpResponse(status=400)
    try:
        services.attendance_mark_bulk(
            by=request.user, session=session, attended=sorted(attended), absent=sorted(listed - attended)
        )
    except ValidationError as exc:
        outcome = {"error": "；".join(exc.messages)}
    else:
        outcome = {"saved": _("已保存出席情况：%(n)d人出席。") % {"n": len(attended)}}
    if request.htmx:  # type: ignore[attr-defined]
        session = selectors.session_get(user=request.user, pk=pk)
        context = {**_session_context(request, session), **outcome}
        return render(request, "people/training/_attendance.html", context)
    if "error" in outcome:
        messages.error(request, outcome["error"])
    else:
        messages.success(request, outcome["saved"])
    return redirect("people:training_session", pk=session.pk)


@login_required
@denied_is_403
@require_POST
def session_register(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    volunteer = _own_volunteer(request)
    if volunteer is None:
        messages.error(request, _("请先注册为志愿者。"))
    else:
        try:
            services.session_register(by=request.user, session=session, volunteer=volunteer)
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("报名成功。"))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("people:training_session", pk=session.pk)


@login_required
@denied_is_403
def my_training(request: AuthedHttpRequest) -> HttpResponse:
    """What training is still required of me, what I completed, and sessions I can register for.

    Loaded into my page (/app/me/) by htmx as a short summary; the full page lists everything."""
    volunteer = _own_volunteer(request)
    if volunteer is None:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse("")
        return render(request, "people/me_none.html")
    context = {"v": volunteer, "mine": selectors.my_training(volunteer)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "people/training/_my_summary.html", context)
    return render(request, "people/training/my_training.html", context)
