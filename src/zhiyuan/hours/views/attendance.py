"""The leader's attendance board for a shift (/app/shifts/<pk>/attendance/): who is booked, who is here,
who left with how many hours, flagged scans and ad-hoc people at the station; bulk sign-in/out and fixing a
forgotten sign-out. And the list of scans waiting for a look (/app/checkins/flagged/)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhiyuan.campaigns.models import Shift
from zhiyuan.campaigns.selectors import shifts as shift_selectors
from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.hours.services.checkin_board import (
    BOARD_PERM,
    ENTER_PERM,
    attendance_board,
    checkins_reviewable,
    flagged_list,
)
from zhiyuan.hours.services.checkin_bulk import checkin_bulk, checkin_flag_clear

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("操作"),
        choices=[
            ("in", gettext_lazy("签到")),
            ("out", gettext_lazy("签退")),
            ("fix", gettext_lazy("补签退（忘记签退）")),
        ],
    )
    at = forms.DateTimeField(label=gettext_lazy("时间"), widget=DATETIME)
    reason = forms.CharField(label=gettext_lazy("原因（补签退必填）"), max_length=200, required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args: Any, selected: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selected = selected or []

    def clean(self) -> dict[str, Any]:
        # the service checks these too; asking here reports them beside the form's own errors, at once
        data = super().clean() or {}
        if self.is_bound and not self.selected:
            self.add_error(None, _("请至少选择一名志愿者。"))
        if data.get("action") == "fix" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("补签退须说明原因。"))
        return data


def _board_shift(request: AuthedHttpRequest, pk: int) -> Shift:
    shift = shift_selectors.shift_get(user=request.user, pk=pk)  # out of sight: 404
    if not access.can(request.user, BOARD_PERM, shift.organization):
        raise access.PermissionDenied(_("只有班次所属单位的负责人可以查看签到情况。"))
    return shift


def _context(request: AuthedHttpRequest, shift: Shift, form: BulkForm) -> dict[str, object]:
    return {
        "board": attendance_board(shift, timezone.now()),
        "form": form,
        "can_enter": access.can(request.user, ENTER_PERM, shift.organization),
        "next": request.path,
    }


def _fresh_form(now: datetime) -> BulkForm:
    return BulkForm(initial={"action": "in", "at": timezone.localtime(now), "key": uuid.uuid4().hex})


@login_required
@denied_is_403
def attendance(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    shift = _board_shift(request, pk)
    if request.method == "POST":
        return _bulk(request, shift)
    if getattr(request, "htmx", False):
        return render(
            request, "hours/attendance/_rows.html", _context(request, shift, _fresh_form(timezone.now()))
        )
    return render(
        request, "hours/attendance/board.html", _context(request, shift, _fresh_form(timezone.now()))
    )


def _bulk(request: AuthedHttpRequest, shift: Shift) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("v") if v.isdigit()]
    form = BulkForm(request.POST, selected=ids)
    if form.is_valid():
        try:
            result = checkin_bulk(by=request.user, shift=shift, volunteer_ids=ids, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in field_errors(exc).items():
                target = name if name in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已记录 %(n)d 人。") % {"n": len(result.recorded) + result.repeated})
            return redirect("hours:attendance", pk=shift.pk)
    context = _context(request, shift, form) | {"selected": set(ids)}
    return render(request, "hours/attendance/board.html", context, status=422)


@login_required
@require_POST
@denied_is_403
def flag_clear(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    checkin = access.get_or_404(checkins_reviewable(request.user), pk=pk)
    try:
        checkin_flag_clear(by=request.user, checkin=checkin, note=request.POST.get("note", ""))
    except ValidationError as exc:
        for message in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, message)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已核查。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "hours:flagged")


@login_required
def flagged(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [ENTER_PERM]):
        return render(request, "403.html", {"message": _("您无权核查签到记录。")}, status=403)
    page = Paginator(flagged_list(user=request.user), settings.ZHIYUAN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "hours/attendance/flagged.html", {"page": page, "next": request.path})
