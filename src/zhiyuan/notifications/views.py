"""The inbox (/app/inbox/): unread first, mark one or all read; and how a person wants to hear
(/app/inbox/preferences/)."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core.errors import field_errors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.notifications import preferences as prefs
from zhiyuan.notifications import selectors, services
from zhiyuan.notifications.handoffs import TABLE
from zhiyuan.notifications.models import Channel


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


def _time(value: str) -> time | None:
    value = value.strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationError({"quiet_from": [_("时间格式应为 HH:MM。")]}) from None


@login_required
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    preference = prefs.preference_of(request.user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        # a box is ticked to receive; an unticked box mutes that channel for that kind
        muted = {
            row.kind: [c for c in Channel.values if request.POST.get(f"{row.kind}:{c}") != "on"]
            for row in prefs.preference_rows(preference)
            if not row.urgent
        }
        try:
            prefs.preference_set(
                by=request.user,
                muted=muted,
                digest=request.POST.get("digest") == "on",
                quiet_from=_time(request.POST.get("quiet_from", "")),
                quiet_to=_time(request.POST.get("quiet_to", "")),
            )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "preference": preference,
            "rows": prefs.preference_rows(preference),
            "errors": errors,
            "handoffs": TABLE,
        },
    )
