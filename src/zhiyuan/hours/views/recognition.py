"""表彰奖励 and 服务评价 pages (/app/hours/recognition/): a unit finds one of its volunteers, records an
award or an evaluation, and sees what it recorded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.hours.models import Evaluation
from zhiyuan.hours.services.recognition import (
    award_list,
    award_record,
    evaluation_list,
    evaluation_organizations,
    evaluation_record,
    volunteer_manageable,
)
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.selectors.volunteers import volunteer_list

DATE = forms.DateInput(attrs={"type": "date"})
SEARCH_RESULTS = 20


class AwardForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("表彰奖励名称"), max_length=200)
    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    granted_by = forms.CharField(label=gettext_lazy("授予单位"), max_length=200)


class EvaluationForm(forms.Form):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=gettext_lazy("评价单位"), queryset=Organization.objects.none(), empty_label=None
    )
    rating = forms.TypedChoiceField(
        label=gettext_lazy("服务质量评价"), choices=Evaluation.Rating.choices, coerce=int
    )
    date = forms.DateField(label=gettext_lazy("评价日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


def _denied(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "403.html", {"message": _("您无权记录表彰奖励和服务评价。")}, status=403)


@login_required
def recognition(request: AuthedHttpRequest) -> HttpResponse:
    """Find a volunteer to recognise; the awards and evaluations recorded in the user's scope."""
    if not access.holds_any(request.user, [Perm.RECOGNITION_CHANGE]):
        return _denied(request)
    q = request.GET.get("q", "").strip()[:50]
    found = (
        list(volunteer_list(user=request.user, search=q, perm=Perm.RECOGNITION_CHANGE)[:SEARCH_RESULTS])
        if q
        else []
    )
    size = settings.ZHIYUAN_PAGE_SIZE
    context = {
        "q": q,
        "found": found,
        "awards": Paginator(award_list(user=request.user), size).get_page(request.GET.get("apage")),
        "evaluations": Paginator(evaluation_list(user=request.user), size).get_page(request.GET.get("epage")),
    }
    return render(request, "hours/recognition/index.html", context)


@login_required
@denied_is_403
def recognition_volunteer(request: AuthedHttpRequest, number: str) -> HttpResponse:
    """One volunteer's awards and evaluations, and the forms to add to them."""
    volunteer = access.get_or_404(volunteer_list(user=request.user), number=number)
    may_record = volunteer_manageable(user=request.user, volunteer=volunteer)
    organizations = evaluation_organizations(user=request.user, volunteer=volunteer)
    which = request.POST.get("form") if request.method == "POST" else None
    award_form = AwardForm(request.POST if which == "award" else None, prefix="award")
    evaluation_form = EvaluationForm(
        request.POST if which == "evaluation" else None, prefix="evaluation", organizations=organizations
    )
    if which is not None and not may_record:
        raise access.PermissionDenied(_("只有志愿者所在单位的负责人可以记录表彰奖励和服务评价。"))
    form = {"award": award_form, "evaluation": evaluation_form}.get(which or "")
    if form is not None and form.is_valid():
        service: Any = award_record if form is award_form else evaluation_record
        try:
            done = submit(form, service, by=request.user, volunteer=volunteer, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, str(exc))
            done = None
        if done is not None:
            messages.success(request, _("已记录。"))
            return redirect("hours:recognition_volunteer", number=volunteer.number)
    context = {
        "v": volunteer,
        "may_record": may_record,
        "award_form": award_form,
        "evaluation_form": evaluation_form,
        "awards": list(award_list(user=request.user, volunteer=volunteer)[:100]),
        "evaluations": list(evaluation_list(user=request.user, volunteer=volunteer)[:100]),
    }
    return render(request, "hours/recognition/volunteer.html", context)
