"""The inbox (/app/inbox/): unread first, mark one or all read."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.notifications import selectors, services


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.inbox(user=request.user, unread_only=unread_only), settings.ZHIYUAN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


def badge(request: AuthedHttpRequest) -> HttpResponse:
    """The unread count in the navigation. Fetched by htmx after the page loads (and every minute), so no
    workspace page pays a query for it and the count stays fresh while a page is open."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)  # signed out meanwhile: htmx swaps nothing, no login page in the nav
    return render(request, "notifications/_badge.html", {"unread": selectors.unread_count(user=request.user)})


@login_required
@require_POST
def mark_read(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    # someone else's notification is a 404, exactly like one that does not exist
    notification = get_object_or_404(selectors.inbox(user=request.user), pk=pk)
    services.inbox_mark_read(by=request.user, notification=notification)
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: AuthedHttpRequest) -> HttpResponse:
    marked = services.inbox_mark_all_read(by=request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": marked})
    return redirect("notifications:inbox")
