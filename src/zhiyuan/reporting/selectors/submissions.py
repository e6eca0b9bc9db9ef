"""Reading reports through `core.access`: units see their own subtree's reports, the 文明办 above reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from zhiyuan.core import access
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import ReportRule, Submission


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def rule_list(*, user: Any) -> QuerySet[ReportRule]:
    """Rules that reach into the part of the tree the user may see reports of."""
    qs = ReportRule.objects.select_related("campaign", "applies_to").order_by("campaign_id", "pk")
    if access.is_global(user):
        return qs
    roots = access.roots(user, Perm.REPORT_VIEW)
    if not roots:
        return qs.none()
    q = Q()
    for root in roots:
        q |= Q(applies_to__path__startswith=root) | Q(applies_to__path__in=_ancestor_paths(root))
        q |= Q(organizations__path__startswith=root)
        q |= Q(relative_to="duty_end", campaign__duties__responsible__path__startswith=root)
    return qs.filter(pk__in=ReportRule.objects.filter(q).values("pk"))


def submission_list(
    *,
    user: Any,
    rule_id: int | None = None,
    status: str | None = None,
    organization_id: int | None = None,
) -> QuerySet[Submission]:
    qs = Submission.objects.filter(access.scope(user, Perm.REPORT_VIEW, via="organization"))
    if rule_id:
        qs = qs.filter(rule_id=rule_id)
    if status:
        qs = qs.filter(status=status)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs.select_related("rule__campaign", "organization").annotate(file_count=Count("files"))


def review_scope(user: Any) -> Q:
    """Reports of units strictly below where the user reviews, and reports whose rule names a receiving
    organisation where the user reviews (seed 001: 报文宣办): nobody reviews their own unit's report."""
    if access.is_global(user):
        return Q()
    roots = access.roots(user, Perm.REPORT_REVIEW)
    if not roots:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(organization__path__startswith=root) & ~Q(organization__path=root)
        q |= Q(rule__receiver__path__startswith=root) & ~Q(organization__path=root)
    return q


def may_review(user: Any, organization: Organization, rule: ReportRule | None = None) -> bool:
    if access.is_global(user):
        return True
    receiver = rule.receiver if rule is not None and rule.receiver_id else None
    return any(
        organization.path != root
        and (organization.path.startswith(root) or (receiver is not None and receiver.path.startswith(root)))
        for root in access.roots(user, Perm.REPORT_REVIEW)
    )


def review_queue(
    *,
    user: Any,
    rule_id: int | None = None,
    status: str | None = None,
    organization_id: int | None = None,
) -> QuerySet[Submission]:
    qs = Submission.objects.filter(review_scope(user)).exclude(status=Submission.Status.DRAFT)
    if rule_id:
        qs = qs.filter(rule_id=rule_id)
    if status:
        qs = qs.filter(status=status)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return (
        qs.select_related("rule__campaign", "organization")
        .annotate(file_count=Count("files"))
        .order_by("-submitted_at", "-pk")
    )


def visible_submissions(user: Any) -> QuerySet[Submission]:
    """Reports the user may open: their units' (and below), and those they review."""
    return Submission.objects.filter(
        access.scope(user, Perm.REPORT_VIEW, via="organization") | review_scope(user)
    )
