"""Input and output shapes of the reporting API."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from ninja import Schema
from pydantic import Field

from zhiyuan.core.api import Strict
from zhiyuan.reporting.models import Submission, SubmissionFile, SubmissionRevision


class RuleOut(Schema):
    id: int
    campaign_id: int | None
    title: str
    form: str
    description: str
    photos_required: bool
    deadline_kind: str
    due_at: datetime | None
    relative_to: str
    relative_hours: int | None
    due_time: time | None
    weekday: int | None
    include_weekends: bool
    active_from: date | None
    active_to: date | None
    receiver_id: int | None  # the receiving organisation (seed 001: 文宣办); null: the 文明办 above reviews


class FileOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    caption: str
    url: str


class SubmissionOut(Schema):
    id: int
    rule_id: int
    rule_title: str
    organization_id: int
    organization_name: str
    period: str
    due_at: datetime | None
    status: str
    text: str
    fields: dict[str, Any]
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    on_time: bool | None
    late_by_seconds: int | None
    revision_count: int
    review_comment: str
    reviewed_at: datetime | None
    selected: bool
    published: bool
    published_at: datetime | None
    public_title: str
    public_text: str

    @staticmethod
    def resolve_rule_title(obj: Submission) -> str:
        return obj.rule.title

    @staticmethod
    def resolve_organization_name(obj: Submission) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_late_by_seconds(obj: Submission) -> int | None:
        return _seconds(obj.late_by)


class DueOut(Schema):
    rule_id: int
    rule_title: str
    organization_id: int
    organization_name: str
    period: str
    due_at: datetime
    url: str
    submission_id: int | None
    status: str | None
    overdue: bool
    due_soon: bool


class DuesOut(Schema):
    items: list[DueOut]
    count: int


class RevisionOut(Schema):
    number: int
    text: str
    fields: dict[str, Any]
    file_ids: list[int]
    submitted_at: datetime
    submitted_by: str
    late_by_seconds: int | None


class OpenIn(Strict):
    rule_id: int
    organization_id: int
    period: str | None = Field(
        None, max_length=40, description="如 2019-01-23、2019-W04、duty-17、once；随时上报的规则不填"
    )


class DraftIn(Strict):
    text: str | None = None
    fields: dict[str, Any] | None = None


class CommentIn(Strict):
    comment: str = ""


class SelectIn(Strict):
    selected: bool = True


class PublishIn(Strict):
    title: str = Field(max_length=200)
    text: str
    photo_ids: list[int] = []


class SubmissionFilters(Schema):
    rule: int | None = None
    status: str | None = None
    organization: int | None = None


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def submission_out(s: Submission) -> Submission:
    return s  # SubmissionOut resolves the derived fields, so lists paginate the queryset itself


def file_out(f: SubmissionFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "kind": f.kind,
        "content_type": f.content_type,
        "size": f.size,
        "caption": f.caption,
        "url": f"/api/v1/reports/{f.submission_id}/files/{f.pk}",
    }


def revision_out(r: SubmissionRevision) -> dict[str, Any]:
    return {
        "number": r.number,
        "text": r.text,
        "fields": r.fields,
        "file_ids": r.file_ids,
        "submitted_at": r.submitted_at,
        "submitted_by": r.submitted_by.display_name,
        "late_by_seconds": _seconds(r.late_by),
    }
