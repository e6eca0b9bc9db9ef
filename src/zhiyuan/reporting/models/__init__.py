from zhiyuan.reporting.models.rule import DeadlineKind, Form, RelativeTo, ReportRule
from zhiyuan.reporting.models.submission import (
    AppendOnly,
    Submission,
    SubmissionFile,
    SubmissionRevision,
)

__all__ = [
    "AppendOnly",
    "DeadlineKind",
    "Form",
    "RelativeTo",
    "ReportRule",
    "Submission",
    "SubmissionFile",
    "SubmissionRevision",
]
