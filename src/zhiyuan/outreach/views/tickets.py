"""/app/outreach/tickets/: donations (attachment 3) of the officer's units, their claims, and the counter
page a claim's QR code opens, where the donor's unit marks the tickets collected."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access, phones
from zhiyuan.core.errors import Refused
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.forms import DonationForm
from zhiyuan.outreach.models import TicketClaim
from zhiyuan.outreach.selectors import officer as selectors
from zhiyuan.outreach.services import tickets as services
from zhiyuan.outreach.services.common import normal_code
from zhiyuan.outreach.views.common import form_page, page_of, run


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "outreach/index.html")


@login_required
def donation_list(request: AuthedHttpRequest) -> HttpResponse:
    services.claims_expire()
    context = {
        "page": page_of(request, selectors.donations(user=request.user)),
        "can_add": access.holds_any(request.user, [Perm.OUTREACH_CHANGE]),
    }
    return render(request, "outreach/donations.html", context)


@login_required
@denied_is_403
def donation_create(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [Perm.OUTREACH_CHANGE]):
        raise access.PermissionDenied()
    form = DonationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = run(
            form,
            services.donation_create,
            by=request.user,
            organization=form.cleaned_data["organization"],
            **form.service_fields(),
        )
        if made is not None:
            messages.success(request, _("已添加。"))
            return redirect("outreach:donation", pk=made.pk)
    return form_page(request, form, _("登记赠票"), reverse("outreach:donations"))


@login_required
def donation_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    services.claims_expire()
    donation = access.get_or_404(selectors.donations(user=request.user), pk=pk)
    status = request.GET.get("status", "")
    page = page_of(request, selectors.claims(user=request.user, donation=donation, status=status))
    for c in page.object_list:
        c.masked_phone = phones.mask_mobile(c.phone)
    context = {
        "d": donation,
        "page": page,
        "status": status,
        "statuses": TicketClaim.Status.choices,
        "can_change": access.can(request.user, Perm.OUTREACH_CHANGE, donation.organization),
        "can_collect": access.can(request.user, Perm.TICKET_COLLECT, donation.organization),
    }
    return render(request, "outreach/donation_detail.html", context)


@login_required
@denied_is_403
def donation_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    donation = access.get_or_404(selectors.donations(user=request.user), pk=pk)
    access.require(request.user, Perm.OUTREACH_CHANGE, donation.organization)
    form = DonationForm(request.POST or None, instance=donation, user=request.user)
    del form.fields["organization"]
    saved = request.method == "POST" and form.is_valid()
    if saved and run(
        form, services.donation_update, by=request.user, donation=donation, **form.service_fields()
    ):
        messages.success(request, _("已保存。"))
        return redirect("outreach:donation", pk=donation.pk)
    return form_page(request, form, _("修改赠票"), reverse("outreach:donation", args=[donation.pk]))


@login_required
@require_POST
@denied_is_403
def donation_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    donation = access.get_or_404(selectors.donations(user=request.user), pk=pk)
    try:
        services.donation_delete(by=request.user, donation=donation)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("outreach:donation", pk=donation.pk)
    messages.success(request, _("已删除。"))
    return redirect("outreach:donations")


@login_required
def claim_find(request: AuthedHttpRequest) -> HttpResponse:
    code = normal_code(request.GET.get("code", ""))
    if code:
        return redirect("outreach:claim_collect", code=code)
    return render(request, "outreach/claim_find.html")


@login_required
@denied_is_403
def claim_collect(request: AuthedHttpRequest, code: str) -> HttpResponse:
    """What scanning a claim's QR opens: the claim, and a button to hand the tickets over."""
    services.claims_expire()
    claim = selectors.claim_get(user=request.user, code=code)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.claim_cancel(by=request.user, claim=claim)
                messages.success(request, _("已取消预约，票已退回。"))
            else:
                services.claim_collect(by=request.user, claim=claim)
                messages.success(request, _("已核销：%(n)d张。") % {"n": claim.quantity})
        except Refused as exc:
            messages.error(request, str(exc))
        return redirect("outreach:claim_collect", code=claim.code)
    context = {
        "c": claim,
        "d": claim.donation,
        "masked_phone": phones.mask_mobile(claim.phone),
        "can_collect": access.can(request.user, Perm.TICKET_COLLECT, claim.donation.organization),
    }
    return render(request, "outreach/claim_collect.html", context)
