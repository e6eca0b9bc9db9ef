"""Hour standards page (/app/hours/standards/): an organisation's weekly quota and star thresholds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.core import access
from zhiyuan.core.errors import field_errors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.hours.models import StarThreshold, WeeklyQuota
from zhiyuan.hours.services.compliance import quota_for, star_thresholds
from zhiyuan.hours.services.standards import MAX_STARS, quota_set, star_thresholds_set
from zhiyuan.organizations.roles import Perm


def _hours(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.1"),
        max_digits=8,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )


class StandardsForm(forms.Form):
    quota = _hours(gettext_lazy("每周时长（小时）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quota"].help_text = _("留空为沿用上级组织的要求")
        for stars in range(1, MAX_STARS + 1):
            self.fields[f"star_{stars}"] = _hours(_("%(s)d星志愿者累计时长") % {"s": stars})


@login_required
def standards(request: AuthedHttpRequest) -> HttpResponse:
    choices = access.organizations(request.user, Perm.HOURS_SETTINGS).order_by("path")
    if not access.holds_any(request.user, [Perm.HOURS_SETTINGS]):
        return render(request, "403.html", {"message": _("您无权设置时长标准。")}, status=403)
    raw = request.GET.get("organization")
    organization = access.get_or_404(choices, pk=raw) if raw else choices.first()
    if organization is None:
        return render(request, "403.html", {"message": _("您无权设置时长标准。")}, status=403)
    own_quota = WeeklyQuota.objects.filter(organization=organization).values_list("hours", flat=True).first()
    own_stars = dict(StarThreshold.objects.filter(organization=organization).values_list("stars", "hours"))
    initial = {"quota": own_quota, **{f"star_{s}": h for s, h in own_stars.items()}}
    form = StandardsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the quota and the stars together, or neither
                quota_set(by=request.user, organization=organization, hours=data["quota"])
                star_thresholds_set(
                    by=request.user,
                    organization=organization,
                    thresholds={s: data[f"star_{s}"] for s in range(1, MAX_STARS + 1)},
                )
        except ValidationError as exc:
            for key, texts in field_errors(exc).items():
                for text in texts:
                    form.add_error(key if key in form.fields else None, text)
        else:
            messages.success(request, _("已保存 %(o)s 的时长标准。") % {"o": organization.name})
            return redirect(f"{reverse('hours:standards')}?organization={organization.pk}")
    context = {
        "form": form,
        "organization": organization,
        "choices": list(choices.values_list("pk", "name")[:500]),
        "quota": quota_for(organization),
        "stars": star_thresholds(organization),
    }
    return render(request, "hours/standards.html", context)
