"""A campaign's downloads that come from the reports: the 活动综述 PDF and attachment 4 (信息上报表)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from zhiyuan.campaigns.exports import export_attachment
from zhiyuan.campaigns.models import Campaign
from zhiyuan.campaigns.selectors.campaigns import campaign_list
from zhiyuan.core import access
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.services.summary_pdf import campaign_summary_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reporting_campaign(user: object, slug: str) -> Campaign:
    """The campaign, if the user may see reports somewhere in it; otherwise not found."""
    return access.get_or_404(campaign_list(user=user, perm=Perm.REPORT_VIEW), slug=slug)


@login_required
def summary_pdf(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = reporting_campaign(request.user, slug)
    response = HttpResponse(campaign_summary_pdf(campaign), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename={campaign.slug}-summary.pdf"
    return response


@login_required
def attachment_4(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = reporting_campaign(request.user, slug)
    response = HttpResponse(export_attachment(campaign, 4), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename={campaign.slug}-attachment-4.xlsx"
    return response
