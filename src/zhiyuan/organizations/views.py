"""Workspace pages for the organisation registry (/app/orgs/…). Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.core.permissions import grantable_roles
from zhiyuan.organizations import selectors, services
from zhiyuan.organizations.forms import ContactForm, MemberForm, OrganizationForm
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Perm, Role


def _back(org: Organization | None) -> dict[str, str]:
    """Where a form's 取消 and ← lead: the organisation it was opened from."""
    if org is None:
        return {"back_url": reverse("organizations:tree"), "back_label": _("组织")}
    return {"back_url": reverse("organizations:detail", args=[org.pk]), "back_label": org.name}


def _forbidden(request: HttpRequest, exc: access.PermissionDenied) -> HttpResponse:
    return HttpResponseForbidden(render_to_string("403.html", {"message": str(exc)}, request=request))


@login_required
def tree(request: AuthedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"query": query, "kinds": Kind.choices, "kind": request.GET.get("kind", "")}
    if query or context["kind"]:
        results = selectors.organization_list(user=request.user, search=query, kind=context["kind"])
        context["page"] = Paginator(results, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "organizations/_search_results.html", context)
    else:
        context["roots"] = list(selectors.organization_roots(user=request.user))
        context["can_create_root"] = access.is_global(request.user)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "organizations/_tree_roots.html", context)
    return render(request, "organizations/tree.html", context)


@login_required
def children(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    parent = selectors.organization_get(user=request.user, pk=pk)
    page = Paginator(
        selectors.organization_children(user=request.user, organization=parent), settings.ZHIYUAN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "organizations/_tree_children.html", {"parent": parent, "page": page})


@login_required
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = selectors.organization_get(user=user, pk=pk)
    can_view_members = access.can(user, Perm.MEMBER_VIEW, org)
    members = list(selectors.membership_list(user=user, organization=org)) if can_view_members else []
    by_role: dict[str, list[Any]] = {}
    for m in members:
        by_role.setdefault(m.get_role_display(), []).append(m)
    can_view_contacts = access.can(user, Perm.CONTACT_VIEW, org)
    contacts = selectors.contacts_in_sheet_order(
        list(selectors.contact_list(user=user, organization=org)) if can_view_contacts else []
    )
    context = {
        "org": org,
        "breadcrumbs": selectors.organization_breadcrumbs(user=user, organization=org),
        "children": Paginator(
            selectors.organization_children(user=user, organization=org), settings.ZHIYUAN_PAGE_SIZE
        ).get_page(request.GET.get("children_page")),
        "members_by_role": by_role,
        "contacts": contacts,
        "co_agencies": list(org.co_agencies.all()),
        # a 支队's 主管单位 may lie outside the viewer's subtree: named, linked only when they may open it
        "agency_visible": org.parent_agency is not None
        and access.can(user, Perm.ORG_VIEW, org.parent_agency),
        "can_change": access.can(user, Perm.ORG_CHANGE, org),
        "can_view_volunteers": access.can(user, Perm.VOLUNTEER_VIEW, org),
        "can_manage_members": access.can(user, Perm.MEMBER_CHANGE, org),
        "can_view_members": can_view_members,
        "can_view_contacts": can_view_contacts,
        "can_change_contacts": access.can(user, Perm.CONTACT_CHANGE, org),
        "coverage": selectors.grid_coverage(user=user, grid=org) if org.kind == Kind.GRID else None,
        "history": list(org.history.select_related("history_user")[:10])
        if access.can(user, Perm.AUDIT_VIEW, org)
        else None,
    }
    return render(request, "organizations/detail.html", context)


def _org_form_data(form: OrganizationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["aliases"] = "\n".join(line.strip() for line in data["aliases"].splitlines() if line.strip())
    return data


@login_required
def create(request: AuthedHttpRequest) -> HttpResponse:
    parent = None
    if request.GET.get("parent"):
        parent = selectors.organization_get(user=request.user, pk=request.GET["parent"])
        if not access.can(request.user, Perm.ORG_CHANGE, parent):
            return _forbidden(request, access.PermissionDenied())
    elif (
        not access.is_global(request.user)
        and not access.organizations(request.user, Perm.ORG_CHANGE).exists()
    ):
        return _forbidden(request, access.PermissionDenied())
    form = OrganizationForm(request.POST or None, user=request.user, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        try:
            org = submit(form, services.organization_create, by=request.user, **_org_form_data(form))
        except access.PermissionDenied as exc:
            return _forbidden(request, exc)
        if org is not None:
            messages.success(request, _("已创建“%(name)s”。") % {"name": org.name})
            return redirect("organizations:detail", pk=org.pk)
    return render(request, "form.html", {"form": form, "title": _("新建组织"), **_back(parent)})


@login_required
def edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(user=request.user, pk=pk)
    if not access.can(request.user, Perm.ORG_CHANGE, org):
        return _forbidden(request, access.PermissionDenied())
    initial = {
        f: getattr(org, f)
        for f in (
            "name",
            "kind",
            "parent",
            "parent_agency",
            "aliases",
            "address",
            "phone",
            "email",
            "description",
        )
    }
    form = OrganizationForm(
        request.POST or None, user=request.user, initial=initial, current_parent=org.parent
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = submit(
                form, services.organization_update, by=request.user, organization=org, **_org_form_data(form)
            )
        except access.PermissionDenied as exc:
            return _forbidden(request, exc)
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect("organizations:detail", pk=org.pk)
    return render(
        request, "form.html", {"form": form, "title": _("编辑：%(name)s") % {"name": org.name}, **_back(org)}
    )


@login_required
@require_POST
def delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(user=request.user, pk=pk)
    parent_id = org.parent_id
    try:
        services.organization_delete(by=request.user, organization=org)
    except access.PermissionDenied as exc:
        return _forbidden(request, exc)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("organizations:detail", pk=org.pk)
    messages.success(request, _("已删除“%(name)s”。") % {"name": org.name})
    return redirect("organizations:detail", pk=parent_id) if parent_id else redirect("organizations:tree")


@login_required
def member_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(user=request.user, pk=pk)
    if not access.can(request.user, Perm.MEMBER_CHANGE, org):
        return _forbidden(request, access.PermissionDenied())
    grantable = grantable_roles(access.perms_at(request.user, org))
    form = MemberForm(request.POST or None, initial={"role": Role.MEMBER}, grantable=grantable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = submit(
            form,
            services.person_find_or_create,
            by=request.user,
            full_name=data["full_name"],
            mobile=data["mobile"],
        )
        membership = None
        if person is not None:
            membership = submit(
                form,
                services.membership_create,
                by=request.user,
                organization=org,
                user=person,
                role=data["role"],
                title=data["title"],
            )
        if person is not None and membership is not None:
            messages.success(request, _("已添加成员“%(name)s”。") % {"name": person.display_name})
            return redirect("organizations:detail", pk=org.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("添加成员：%(name)s") % {"name": org.name}, **_back(org)},
    )


@login_required
@require_POST
def member_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, pk=pk)
    try:
        services.membership_delete(by=request.user, membership=membership)
    except access.PermissionDenied as exc:
        return _forbidden(request, exc)
    messages.success(request, _("已移除。"))
    return redirect("organizations:detail", pk=membership.organization_id)


@login_required
def contact_edit(
    request: AuthedHttpRequest, pk: int | None = None, org_pk: int | None = None
) -> HttpResponse:
    """Add a contact to an organisation (org_pk) or edit one (pk)."""
    contact = selectors.contact_get(user=request.user, pk=pk) if pk else None
    org: Organization = (
        contact.organization if contact else selectors.organization_get(user=request.user, pk=org_pk)
    )
    if not access.can(request.user, Perm.CONTACT_CHANGE, org):
        return _forbidden(request, access.PermissionDenied())
    initial = {f: getattr(contact, f) for f in ContactForm.base_fields} if contact else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if contact is None:
            saved = submit(
                form, services.contact_create, by=request.user, organization=org, **form.cleaned_data
            )
        else:
            saved = submit(
                form, services.contact_update, by=request.user, contact=contact, **form.cleaned_data
            )
        if saved is not None:
            messages.success(request, _("联系人已保存。"))
            return redirect("organizations:detail", pk=org.pk)
    title = _("编辑联系人") if contact else _("添加联系人")
    return render(request, "form.html", {"form": form, "title": f"{title}：{org.name}", **_back(org)})


@login_required
@require_POST
def contact_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    try:
        services.contact_delete(by=request.user, contact=contact)
    except access.PermissionDenied as exc:
        return _forbidden(request, exc)
    messages.success(request, _("联系人已删除。"))
    return redirect("organizations:detail", pk=contact.organization_id)


@login_required
@require_POST
def seal(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(user=request.user, pk=pk)
    try:
        services.organization_set_seal(
            by=request.user,
            organization=org,
            upload=None if "remove" in request.POST else request.FILES.get("seal"),
        )
    except access.PermissionDenied as exc:
        return _forbidden(request, exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已保存。"))
    return redirect("organizations:detail", pk=org.pk)
