"""Who may do what to a report: its unit's reporters fill it in, the 文明办 above reviews it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import ReportRule
from zhiyuan.reporting.selectors.submissions import may_review


def require_reporter(user: Any, organization: Organization) -> None:
    if not access.can(user, Perm.REPORT_SUBMIT, organization):
        raise access.PermissionDenied(_("只有本单位的联络员、信息上报人员、具体负责人或主管领导可以填报。"))


def require_reviewer(user: Any, organization: Organization, rule: ReportRule | None = None) -> None:
    if not may_review(user, organization, rule):
        raise access.PermissionDenied(_("只有接收单位或上级文明办可以审核该单位的上报。"))
