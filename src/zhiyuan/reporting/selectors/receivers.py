"""Where a unit's report goes: the rule's receiving organisation when it names one (seed 001: 文宣办), else
the nearest 文明办 above the unit that has reviewers."""

from __future__ import annotations

from typing import Any

from zhiyuan.notifications import audiences
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import Submission


def reviewers_for(submission: Submission) -> list[Any]:
    receiver_id = getattr(submission.rule, "receiver_id", None)
    if receiver_id:
        return audiences.granted([receiver_id], Perm.REPORT_REVIEW)
    return audiences.nearest_with(submission.organization, Perm.REPORT_REVIEW)
