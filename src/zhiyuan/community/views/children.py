"""Children pairing and school donations (/app/community/children/…, /donations/…). A child's page exists
only for the responsible officer and the platform admin; other officers see a masked row in the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.community.forms import ChildForm, ContactForm, DonationForm, PairingForm
from zhiyuan.community.selectors import children as selectors
from zhiyuan.community.services import children as services
from zhiyuan.community.views.common import form_page, page_of, querystring
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer


@login_required
def child_list(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.child_list(user=request.user)),
        "querystring": querystring(request),
        "can_register": access.holds_any(request.user, [Perm.COMMUNITY_CHANGE]),
    }
    return render(request, "community/app/children.html", context)


@login_required
@denied_is_403
def child_register(request: AuthedHttpRequest) -> HttpResponse:
    form = ChildForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        child = submit(form, services.child_register, by=request.user, **form.cleaned_data)
        if child is not None:
            messages.success(request, _("已登记，您是这名儿童的负责人。"))
            return redirect("community:child", pk=child.pk)
    return form_page(request, form, _("登记外来务工人员子女"), reverse("community:children"), _("结对帮扶"))


@login_required
def child_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(user=request.user, pk=pk)
    pairings = list(selectors.pairings_of(child))
    contacts = {p.pk: list(selectors.contacts_of(p)[:20]) for p in pairings}
    context = {"c": child, "pairings": [(p, contacts[p.pk]) for p in pairings], "contact_form": ContactForm()}
    return render(request, "community/app/child.html", context)


@login_required
@denied_is_403
def pairing_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(user=request.user, pk=pk)
    form = PairingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        volunteer = Volunteer.objects.filter(number=form.cleaned_data["volunteer_number"].strip()).first()
        try:
            pairing = submit(
                form,
                services.pairing_create,
                by=request.user,
                child=child,
                volunteer=volunteer,
                started_on=form.cleaned_data["started_on"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
            pairing = None
        if pairing is not None:
            messages.success(request, _("已结对。"))
            return redirect("community:child", pk=child.pk)
    back = reverse("community:child", args=[child.pk])
    return form_page(request, form, _("结对志愿者"), back, str(child))


@login_required
@denied_is_403
def contact_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = submit(
            form, services.pairing_contact_add, by=request.user, pairing=pairing, **form.cleaned_data
        )
        if contact is not None:
            messages.success(request, _("已记录联系情况。"))
            return redirect("community:child", pk=pairing.child_id)
    back = reverse("community:child", args=[pairing.child_id])
    return form_page(request, form, _("记录结对联系"), back, str(pairing.child))


@login_required
def donation_list(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.donation_list(user=request.user)),
        "totals": selectors.donation_totals(user=request.user),
        "querystring": querystring(request),
        "can_record": access.holds_any(request.user, [Perm.COMMUNITY_CHANGE]),
    }
    return render(request, "community/app/donations.html", context)


@login_required
@denied_is_403
def donation_record(request: AuthedHttpRequest) -> HttpResponse:
    form = DonationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(form, services.donation_record, by=request.user, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("已记录捐赠。"))
            return redirect("community:donations")
    return form_page(request, form, _("记录学校捐赠"), reverse("community:donations"), _("学校捐赠"))


@login_required
@require_POST
@denied_is_403
def consent_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(user=request.user, pk=pk)
    services.child_consent_withdraw(by=request.user, child=child)
    messages.success(request, _("已办理撤回同意，儿童个人信息已删除，结对已结束。"))
    return redirect("community:children")
