"""What the public news page may read: published reports only, and only the photos chosen for them.

For the portal (built elsewhere): no login, so nothing here takes a user; nothing unpublished leaks.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhiyuan.reporting.models import Submission, SubmissionFile


def published_list() -> QuerySet[Submission]:
    return (
        Submission.objects.filter(published=True)
        .select_related("organization")
        .prefetch_related(Prefetch("public_photos", queryset=SubmissionFile.objects.order_by("pk")))
        .only("pk", "public_title", "public_text", "published_at", "organization__name")
        .order_by("-published_at", "-pk")
    )


def published_photo(*, submission_id: int, file_id: int) -> SubmissionFile:
    """A photo chosen for a published report, or 404 (any other file of that report stays private)."""
    found = SubmissionFile.objects.filter(
        pk=file_id, submission_id=submission_id, submission__published=True, published_in=submission_id
    ).first()
    if found is None:
        raise Http404(_("未找到。"))
    return found
