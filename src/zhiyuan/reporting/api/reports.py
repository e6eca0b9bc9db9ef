"""/api/v1/report-rules and /api/v1/reports: rules, submissions with files, and reviews."""

from typing import Any

from django.http import FileResponse, HttpResponseBase
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from zhiyuan.core import access, images
from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.pagination import PageQuery, Paginated
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.api.schemas import (
    CommentIn,
    DraftIn,
    DuesOut,
    FileOut,
    OpenIn,
    PublishIn,
    RevisionOut,
    RuleOut,
    SelectIn,
    SubmissionFilters,
    SubmissionOut,
    file_out,
    revision_out,
    submission_out,
)
from zhiyuan.reporting.models import ReportRule, Submission, SubmissionFile
from zhiyuan.reporting.selectors.my_dues import my_dues
from zhiyuan.reporting.selectors.submissions import rule_list, submission_list, visible_submissions
from zhiyuan.reporting.services import reviews
from zhiyuan.reporting.services.files import submission_file_add, submission_file_remove
from zhiyuan.reporting.services.submissions import submission_open, submission_save_draft, submission_submit

router = Router(tags=["reports"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


def _get(request: AuthedRequest, pk: int) -> Submission:
    return access.get_or_404(visible_submissions(request.auth).select_related("rule", "organization"), pk=pk)


@router.get("/report-rules", response=list[RuleOut])
@paginate(Paginated)
def list_rules(request: AuthedRequest) -> Any:
    return rule_list(user=request.auth)


@router.get("/report-dues", response=DuesOut)
def list_dues(request: AuthedRequest, page_query: Query[PageQuery]) -> Any:
    """What the units where I hold a reporting role owe, from 30 days back to 14 days ahead."""
    rows, _any_time = my_dues(user=request.auth)
    page = rows[page_query.offset : page_query.offset + page_query.limit]
    items = [
        {
            "rule_id": r.rule.pk,
            "rule_title": r.rule.title,
            "organization_id": r.organization.pk,
            "organization_name": r.organization.name,
            "period": r.period,
            "due_at": r.due_at,
            "url": r.url,
            "submission_id": r.submission.pk if r.submission else None,
            "status": r.submission.status if r.submission else None,
            "overdue": r.overdue,
            "due_soon": r.due_soon,
        }
        for r in page
    ]
    return {"items": items, "count": len(rows)}


@router.get("/reports", response=list[SubmissionOut])
@paginate(Paginated)
def list_reports(request: AuthedRequest, filters: Query[SubmissionFilters]) -> Any:
    qs = submission_list(
        user=request.auth, rule_id=filters.rule, status=filters.status, organization_id=filters.organization
    )
    return qs.order_by("-due_at", "-pk")


@router.get("/reports/{report_id}", response={200: SubmissionOut, 404: Error})
def get_report(request: AuthedRequest, report_id: int) -> Any:
    return submission_out(_get(request, report_id))


@router.post("/reports", response={201: SubmissionOut, **WRITE_ERRORS})
def open_report(request: AuthedRequest, payload: OpenIn) -> Any:
    """The unit's report for a rule and period: the existing one, or a new draft pre-filled from data."""
    org = access.get_or_404(access.organizations(request.auth, Perm.ORG_VIEW), pk=payload.organization_id)
    rule = access.get_or_404(ReportRule.objects.all(), pk=payload.rule_id)
    s = submission_open(by=request.auth, rule=rule, organization=org, period=payload.period)
    return Status(201, submission_out(s))


@router.patch("/reports/{report_id}", response={200: SubmissionOut, **WRITE_ERRORS})
def update_draft(request: AuthedRequest, report_id: int, payload: DraftIn) -> Any:
    s = submission_save_draft(
        by=request.auth, submission=_get(request, report_id), text=payload.text, fields=payload.fields
    )
    return submission_out(s)


@router.post("/reports/{report_id}/submit", response={200: SubmissionOut, **WRITE_ERRORS})
def submit(request: AuthedRequest, report_id: int, payload: DraftIn) -> Any:
    """Submit, or resubmit after a return: each time a new revision."""
    s = submission_submit(
        by=request.auth, submission=_get(request, report_id), text=payload.text, fields=payload.fields
    )
    return submission_out(s)


@router.get("/reports/{report_id}/revisions", response={200: list[RevisionOut], 404: Error})
@paginate(Paginated)
def revisions(request: AuthedRequest, report_id: int) -> Any:
    s = _get(request, report_id)
    return [revision_out(r) for r in s.revisions.select_related("submitted_by").order_by("number")]


@router.get("/reports/{report_id}/files", response={200: list[FileOut], 404: Error})
@paginate(Paginated)
def list_files(request: AuthedRequest, report_id: int) -> Any:
    return [file_out(f) for f in _get(request, report_id).files.order_by("pk")]


@router.post("/reports/{report_id}/files", response={201: FileOut, **WRITE_ERRORS})
def upload_file(
    request: AuthedRequest, report_id: int, file: File[UploadedFile], caption: Form[str] = ""
) -> Any:
    """A photo or short video (multipart field `file`, optional `caption`)."""
    f = submission_file_add(
        by=request.auth, submission=_get(request, report_id), upload=file, caption=caption
    )
    return Status(201, file_out(f))


def _file(request: AuthedRequest, report_id: int, file_id: int) -> SubmissionFile:
    return access.get_or_404(SubmissionFile.objects.filter(submission=_get(request, report_id)), pk=file_id)


@router.get("/reports/{report_id}/files/{file_id}", response={404: Error})
def get_file(request: AuthedRequest, report_id: int, file_id: int, thumb: bool = False) -> HttpResponseBase:
    f = _file(request, report_id, file_id)
    if f.kind == SubmissionFile.Kind.PHOTO:
        return images.serve(f.file, thumb)
    response = FileResponse(f.file.open("rb"), content_type=f.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.delete("/reports/{report_id}/files/{file_id}", response={204: None, **WRITE_ERRORS})
def delete_file(request: AuthedRequest, report_id: int, file_id: int) -> Any:
    submission_file_remove(by=request.auth, file=_file(request, report_id, file_id))
    return Status(204, None)


@router.post("/reports/{report_id}/return", response={200: SubmissionOut, **WRITE_ERRORS})
def return_report(request: AuthedRequest, report_id: int, payload: CommentIn) -> Any:
    return submission_out(
        reviews.submission_return(
            by=request.auth, submission=_get(request, report_id), comment=payload.comment
        )
    )


@router.post("/reports/{report_id}/accept", response={200: SubmissionOut, **WRITE_ERRORS})
def accept_report(request: AuthedRequest, report_id: int, payload: CommentIn) -> Any:
    return submission_out(
        reviews.submission_accept(
            by=request.auth, submission=_get(request, report_id), comment=payload.comment
        )
    )


@router.post("/reports/{report_id}/select", response={200: SubmissionOut, **WRITE_ERRORS})
def select_report(request: AuthedRequest, report_id: int, payload: SelectIn) -> Any:
    """择优选用 (or undo with `selected: false`)."""
    return submission_out(
        reviews.submission_select(
            by=request.auth, submission=_get(request, report_id), selected=payload.selected
        )
    )


@router.post("/reports/{report_id}/publish", response={200: SubmissionOut, **WRITE_ERRORS})
def publish_report(request: AuthedRequest, report_id: int, payload: PublishIn) -> Any:
    """Publish to the public news: phone and ID numbers are redacted, only this report's photos."""
    s = reviews.submission_publish(
        by=request.auth,
        submission=_get(request, report_id),
        title=payload.title,
        text=payload.text,
        photo_ids=payload.photo_ids,
    )
    return submission_out(s)
