"""Correction pages (办法 Art. 13): a volunteer's full record history with "申请更正" on each entry, the
request form, and the recording organisation's queue where a request is approved (reversal plus
replacement through the ledger) or declined with a reason. The services decide; these pages only ask."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.hours.models import Correction, LedgerEntry
from zhiyuan.hours.services.corrections import correction_decide, correction_request
from zhiyuan.hours.services.ledger import recording_deadline
from zhiyuan.organizations.roles import Perm

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
REVIEW_PERMS = (Perm.HOURS_APPROVE,)  # as correction_decide checks


class CorrectionForm(forms.Form):
    problem = forms.ChoiceField(
        label=gettext_lazy("哪里不对"),
        choices=[
            ("times", gettext_lazy("服务时间不对")),
            ("void", gettext_lazy("我没有参加这次服务，应撤销")),
        ],
    )
    new_starts_at = forms.DateTimeField(label=gettext_lazy("正确的开始时间"), widget=DATETIME, required=False)
    new_ends_at = forms.DateTimeField(label=gettext_lazy("正确的结束时间"), widget=DATETIME, required=False)
    reason = forms.CharField(
        label=gettext_lazy("原因"), max_length=150, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("problem") == "times":
            for name in ("new_starts_at", "new_ends_at"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("请填写正确的时间。"))
        elif data.get("problem") == "void":
            data["new_starts_at"] = data["new_ends_at"] = None  # a void request asks for no replacement
        return data


def _mine(request: AuthedHttpRequest) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(volunteer__user=request.user)


def _with_state(qs: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    """Each entry with its requests (newest first) and whether it has been reversed: two queries a page."""
    return (
        qs.select_related("organization")
        .annotate(is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))))
        .prefetch_related(Prefetch("corrections", queryset=Correction.objects.order_by("-created_at", "-pk")))
    )


@login_required
def my_history(request: AuthedHttpRequest) -> HttpResponse:
    qs = _with_state(_mine(request)).order_by("-seq")
    page = Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hours/corrections/history.html", {"page": page})


@login_required
@denied_is_403
def request_form(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = access.get_or_404(_with_state(_mine(request)).select_related("volunteer"), pk=pk)
    correctable = entry.kind == LedgerEntry.Kind.CREDIT and not entry.is_reversed  # type: ignore[attr-defined]
    pending = next((c for c in entry.corrections.all() if c.status == Correction.Status.PENDING), None)
    initial = {"new_starts_at": entry.starts_at, "new_ends_at": entry.ends_at}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and correctable and pending is None and form.is_valid():
        data = form.cleaned_data
        label = dict(form.fields["problem"].choices)[data["problem"]]  # type: ignore[attr-defined]
        try:
            done = submit(
                form,
                correction_request,
                by=request.user,
                entry=entry,
                reason=f"{label}：{data['reason']}",
                new_starts_at=data["new_starts_at"],
                new_ends_at=data["new_ends_at"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
            done = None
        if done is not None:
            messages.success(request, _("已提交更正申请，等待记录单位处理。"))
            return redirect("hours:correction_request", pk=entry.pk)
    context = {
        "entry": entry,
        "form": form,
        "correctable": correctable,
        "pending": pending,
        "requests": list(entry.corrections.all()),
        "deadline": recording_deadline(entry.ends_at),
    }
    return render(request, "hours/corrections/request.html", context, status=422 if form.errors else 200)


def _reviewable(user: Any) -> QuerySet[Correction]:
    q = Q(pk__in=[])
    for perm in REVIEW_PERMS:
        q |= access.scope(user, perm, via="entry__organization")
    return Correction.objects.filter(q)


@login_required
def queue(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, REVIEW_PERMS):
        return redirect("hours:my_history")  # a volunteer's way into corrections is their own history
    status = request.GET.get("status", Correction.Status.PENDING)
    if status not in Correction.Status.values:
        status = Correction.Status.PENDING
    qs = (
        _reviewable(request.user)
        .filter(status=status)
        .select_related("entry__volunteer__user", "entry__organization", "decided_by")
        .order_by("created_at", "pk")
    )
    page = Paginator(qs, settings.ZHIYUAN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": Correction.Status.choices}
    return render(request, "hours/corrections/queue.html", context)


@login_required
@require_POST
@denied_is_403
def decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    correction = access.get_or_404(_reviewable(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        correction_decide(
            by=request.user, correction=correction, approve=approve, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        for message in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, message)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("已更正，原记录已冲销并记录更正后的时间。") if approve else _("已答复不予更正。")
        )
    return redirect("hours:corrections")
