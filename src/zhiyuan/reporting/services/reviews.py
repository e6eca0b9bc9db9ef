"""The 文明办's review: return with a comment, accept, mark 择优选用, publish without personal data."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.reporting.models import Submission, SubmissionFile
from zhiyuan.reporting.services.handoffs import tell_unit
from zhiyuan.reporting.services.permissions import require_reviewer

REDACTED = "＊＊＊"
# 18-digit (or old 15-digit) ID numbers, mobiles, landlines with an area code, and any number written
# after 电话/手机/联系方式: a volunteer's or a passenger's number must not reach the public site.
_PATTERNS = [
    re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"),
    re.compile(r"(?<!\d)\d{15}(?!\d)"),
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),
    re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"),
    re.compile(r"((?:电话|手机|联系方式|联系电话|座机|Tel|TEL|tel)[:：\s]*)\d[\d\- ]{5,}\d"),
]


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        if pattern.groups:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        else:
            text = pattern.sub(REDACTED, text)
    return text


def _locked(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update()
        .select_related("organization", "rule__receiver")
        .get(pk=submission.pk)
    )


@transaction.atomic
def submission_return(*, by: User, submission: Submission, comment: str) -> Submission:
    submission = _locked(submission)
    require_reviewer(by, submission.organization, submission.rule)
    if submission.status != Submission.Status.SUBMITTED:
        raise Refused(_("只能退回已提交待审核的上报。"))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": [_("退回时请写明需要修改的地方。")]})
    if len(comment) > 2000:
        raise ValidationError({"comment": [_("审核意见最多 2000 字。")]})
    submission.status = Submission.Status.RETURNED
    submission.review_comment, submission.reviewed_by, submission.reviewed_at = comment, by, timezone.now()
    audit.attribute(submission, by, reason=_("退回修改"))
    submission.save()
    tell_unit("report.returned", submission, comment=comment)
    return submission


@transaction.atomic
def submission_accept(*, by: User, submission: Submission, comment: str = "") -> Submission:
    submission = _locked(submission)
    require_reviewer(by, submission.organization, submission.rule)
    if submission.status != Submission.Status.SUBMITTED:
        raise Refused(_("只能采用已提交待审核的上报。"))
    submission.status = Submission.Status.ACCEPTED
    submission.review_comment, submission.reviewed_by, submission.reviewed_at = (
        comment.strip()[:2000],
        by,
        timezone.now(),
    )
    audit.attribute(submission, by, reason=_("采用"))
    submission.save()
    tell_unit("report.accepted", submission, comment=submission.review_comment)
    return submission


@transaction.atomic
def submission_select(*, by: User, submission: Submission, selected: bool = True) -> Submission:
    """择优选用: the best accepted reports, candidates for the city's websites."""
    submission = _locked(submission)
    require_reviewer(by, submission.organization, submission.rule)
    if submission.status != Submission.Status.ACCEPTED:
        raise Refused(_("只有已采用的上报才能择优选用。"))
    submission.selected = selected
    submission.selected_at = timezone.now() if selected else None
    audit.attribute(submission, by, reason=_("择优选用") if selected else _("取消择优"))
    was_selected = Submission.objects.filter(pk=submission.pk, selected=True).exists()
    submission.save()
    if selected and not was_selected:
        tell_unit("report.selected", submission)
    return submission


@transaction.atomic
def submission_publish(
    *, by: User, submission: Submission, title: str, text: str, photo_ids: Iterable[int]
) -> Submission:
    """Publish an accepted report to the public news: the reviewer's title and text, phone and ID numbers
    redacted whatever was typed, and only photos of this very report."""
    submission = _locked(submission)
    require_reviewer(by, submission.organization, submission.rule)
    if submission.status != Submission.Status.ACCEPTED:
        raise Refused(_("只有已采用的上报才能发布。"))
    errors: dict[str, list[str]] = {}
    title, text = title.strip(), text.strip()
    if not title:
        errors["title"] = [_("请填写发布标题。")]
    elif len(title) > 200:
        errors["title"] = [_("标题最多 200 字。")]
    if not text:
        errors["text"] = [_("请填写发布正文。")]
    wanted = set(photo_ids)
    photos = list(
        SubmissionFile.objects.filter(submission=submission, kind=SubmissionFile.Kind.PHOTO, pk__in=wanted)
    )
    if len(photos) != len(wanted):
        errors["photo_ids"] = [_("只能选择本上报中的图片。")]
    if errors:
        raise ValidationError(errors)
    submission.public_title, submission.public_text = redact(title), redact(text)
    submission.published = True
    submission.published_at = submission.published_at or timezone.now()
    submission.selected = True
    submission.selected_at = submission.selected_at or timezone.now()
    audit.attribute(submission, by, reason=_("发布"))
    submission.save()
    submission.public_photos.set(photos)
    _to_portal(by, submission, photos)
    tell_unit("report.published", submission, public_title=submission.public_title)
    return submission


def _to_portal(by: User, submission: Submission, photos: list[SubmissionFile]) -> None:
    """The public news page (community.News) carries the published report: made once, re-shown when a
    report taken down is published again. Same transaction, so a refused news item refuses the publish."""
    from zhiyuan.community.models import News
    from zhiyuan.community.services.news import news_publish, news_republish

    news = News.objects.filter(source_submission_id=submission.pk).first()
    if news is None:
        news_publish(
            by=by,
            title=submission.public_title,
            body=submission.public_text,
            images=[photo.file for photo in photos],
            source_submission_id=submission.pk,
            organization=submission.organization,
            source_label=submission.organization.name,
        )
    elif news.unpublished_at is not None:
        news_republish(by=by, news=news)


@transaction.atomic
def submission_unpublish(*, by: User, submission: Submission) -> Submission:
    submission = _locked(submission)
    require_reviewer(by, submission.organization, submission.rule)
    submission.published = False
    audit.attribute(submission, by, reason=_("撤下发布"))
    submission.save()
    from zhiyuan.community.models import News
    from zhiyuan.community.services.news import news_unpublish

    news = News.objects.filter(source_submission_id=submission.pk, unpublished_at__isnull=True).first()
    if news is not None:
        news_unpublish(by=by, news=news)
    return submission
