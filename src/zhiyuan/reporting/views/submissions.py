"""One report: edit the draft, attach photos and videos, submit; see revisions and the reviewer's comment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access, images
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import Submission, SubmissionFile
from zhiyuan.reporting.selectors.submissions import may_review, visible_submissions
from zhiyuan.reporting.services.files import submission_file_add, submission_file_remove
from zhiyuan.reporting.services.submissions import submission_save_draft, submission_submit
from zhiyuan.reporting.views.report_form import PublishForm, ReportForm, ReviewForm, UploadForm


def _get(request: AuthedHttpRequest, pk: int) -> Submission:
    return access.get_or_404(
        visible_submissions(request.user).select_related(
            "rule__campaign", "organization", "duty", "reviewed_by"
        ),
        pk=pk,
    )


def _context(
    request: AuthedHttpRequest, s: Submission, form: ReportForm, upload: UploadForm | None = None
) -> dict:
    files = list(s.files.order_by("pk"))
    publish = PublishForm(
        initial={
            "title": s.public_title or s.rule.title,
            "text": s.public_text or s.text,
            "photo_ids": [str(p.pk) for p in s.public_photos.all()],
        }
    )
    publish.fields["photo_ids"].choices = [  # type: ignore[attr-defined]
        (str(f.pk), f.caption or f"#{f.pk}") for f in files if f.kind == SubmissionFile.Kind.PHOTO
    ]
    return {
        "s": s,
        "form": form,
        "upload": upload or UploadForm(),
        "files": files,
        "revisions": list(s.revisions.select_related("submitted_by").order_by("-number")),
        "can_edit": s.editable and access.can(request.user, Perm.REPORT_SUBMIT, s.organization),
        "can_review": may_review(request.user, s.organization, s.rule),
        "review": ReviewForm(),
        "publish": publish,
    }


@login_required
@denied_is_403
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = _get(request, pk)
    if request.method != "POST":
        form = ReportForm(initial={"text": s.text, **s.fields}, form_kind=s.rule.form)
        return render(request, "reporting/submission.html", _context(request, s, form))
    form = ReportForm(request.POST, form_kind=s.rule.form)
    form.is_valid()
    text, values = form.values()
    submitting = request.POST.get("action") == "submit"
    service = submission_submit if submitting else submission_save_draft
    try:
        service(by=request.user, submission=s, text=text, fields=values)
    except ValidationError as exc:
        for field, msgs in field_errors(exc).items():
            for m in msgs:
                form.add_error(field if field in form.fields else None, m)
        s.refresh_from_db()
        return render(request, "reporting/submission.html", _context(request, s, form), status=422)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("reporting:submission", s.pk)
    messages.success(request, _("已提交，等待审核。") if submitting else _("草稿已保存。"))
    return redirect("reporting:submission", s.pk)


@login_required
@require_POST
@denied_is_403
def upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = _get(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            submission_file_add(
                by=request.user,
                submission=s,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            for m in (m for ms in field_errors(exc).values() for m in ms):
                form.add_error("file", m)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("reporting:submission", s.pk)
        else:
            messages.success(request, _("附件已上传。"))
            return redirect("reporting:submission", s.pk)
    report = ReportForm(initial={"text": s.text, **s.fields}, form_kind=s.rule.form)
    return render(request, "reporting/submission.html", _context(request, s, report, form), status=422)


def _file(request: AuthedHttpRequest, pk: int) -> SubmissionFile:
    return access.get_or_404(
        SubmissionFile.objects.filter(submission__in=visible_submissions(request.user)).select_related(
            "submission"
        ),
        pk=pk,
    )


@login_required
def file(request: AuthedHttpRequest, pk: int) -> FileResponse:
    f = _file(request, pk)
    if f.kind == SubmissionFile.Kind.PHOTO:
        return images.serve(f.file, thumb=request.GET.get("thumb") == "1")
    response = FileResponse(f.file.open("rb"), content_type=f.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@denied_is_403
def file_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    f = _file(request, pk)
    try:
        submission_file_remove(by=request.user, file=f)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("reporting:submission", f.submission_id)
