"""Roster pages: upload an XLSX (processed in the background), watch its progress, download templates and
a team's 人员名单."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.core import access
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations import selectors as org_selectors
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import RosterImport
from zhiyuan.people.services.roster_export import roster_export, roster_template
from zhiyuan.people.services.roster_import import roster_import_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("导入单位"), queryset=Organization.objects.none()
    )
    upload = forms.FileField(label=gettext_lazy("名单文件（.xlsx）"))
    consent_evidence = forms.CharField(
        label=gettext_lazy("本人同意方式"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("例如：名单中人员均已在纸质登记表上签字同意由单位代为登记"),
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def imports(request: AuthedHttpRequest) -> HttpResponse:
    scope = access.organizations(request.user, Perm.VOLUNTEER_CHANGE).order_by("path")
    if not scope.exists():
        return render(request, "403.html", {"message": _("您无权导入名单。")}, status=403)
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["organization"].queryset = scope  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = submit(
            form,
            roster_import_start,
            by=request.user,
            organization=data["organization"],
            upload=data["upload"],
            consent_evidence=data["consent_evidence"],
        )
        if job is not None:
            messages.success(request, _("已上传，正在后台处理。"))
            return redirect("people:roster_import", pk=job.pk)
    jobs = RosterImport.objects.filter(access.scope(request.user, Perm.VOLUNTEER_CHANGE, via="organization"))
    context = {"form": form, "jobs": jobs.select_related("organization", "created_by")[:20]}
    return render(request, "people/roster_imports.html", context)


@login_required
def import_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    jobs = RosterImport.objects.filter(access.scope(request.user, Perm.VOLUNTEER_CHANGE, via="organization"))
    job = access.get_or_404(jobs.select_related("organization"), pk=pk)
    stale = (
        job.status == RosterImport.Status.QUEUED and (timezone.now() - job.created_at).total_seconds() > 60
    )
    context = {"job": job, "stale": stale, "finished": job.status not in ("queued", "running")}
    template = "people/_roster_status.html" if request.htmx else "people/roster_status.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def template_download(request: AuthedHttpRequest) -> HttpResponse:
    return _xlsx(roster_template(), "volunteer-roster-template.xlsx")


@login_required
def roster_download(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = org_selectors.organization_get(user=request.user, pk=pk, perm=Perm.VOLUNTEER_VIEW)
    try:
        content = roster_export(by=request.user, organization=org, full_ids=request.GET.get("full") == "1")
    except access.PermissionDenied as exc:
        return render(request, "403.html", {"message": str(exc)}, status=403)
    return _xlsx(content, f"roster-{org.pk}-{timezone.localdate():%Y%m%d}.xlsx")
