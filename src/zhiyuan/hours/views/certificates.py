"""Certificate pages: my certificates and the issue form, the PDF download, and public verification."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.hours.certificate_pdf import certificate_pdf
from zhiyuan.hours.models import Certificate
from zhiyuan.hours.services.certificates import (
    can_see,
    certificate_issue,
    holder_masked,
    issuer_choices,
    my_certificates,
)
from zhiyuan.organizations.models import Organization
from zhiyuan.people.models import Volunteer


class IssueForm(forms.Form):
    issuer = forms.ModelChoiceField(
        label=gettext_lazy("记录单位"), queryset=Organization.objects.none(), empty_label=None
    )
    period_start = forms.DateField(
        label=gettext_lazy("起始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=gettext_lazy("截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, volunteer: Volunteer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issuer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = issuer_choices(volunteer)


@login_required
def my_list(request: AuthedHttpRequest) -> HttpResponse:
    volunteer = Volunteer.objects.filter(user=request.user).first()
    if volunteer is None:
        return render(request, "people/me_none.html")
    today = timezone.localdate()
    form = IssueForm(
        request.POST or None,
        volunteer=volunteer,
        initial={"period_start": today.replace(month=1, day=1), "period_end": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            certificate = submit(
                form, certificate_issue, by=request.user, volunteer=volunteer, **form.cleaned_data
            )
        except (Refused, access.PermissionDenied) as exc:
            form.add_error(None, str(exc))
            certificate = None
        if certificate is not None:
            messages.success(request, _("已出具证明 %(number)s。") % {"number": certificate.number})
            return redirect("hours:my_certificates")
    context = {"form": form, "certificates": list(my_certificates(volunteer))}
    return render(request, "hours/certificates/mine.html", context)


def _visible(request: HttpRequest, number: str) -> Certificate:
    certificate = (
        Certificate.objects.select_related("volunteer__user", "issuer").filter(number=number).first()
    )
    if certificate is None or not can_see(request.user, certificate):
        raise Http404(_("未找到。"))
    return certificate


@login_required
def download(request: AuthedHttpRequest, number: str) -> HttpResponse:
    certificate = _visible(request, number)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: only what verification needs — the holder's masked name (王*跃) to match the paper, never
    the full name, ID number or volunteer number (办法 Arts. 16–17)."""
    certificate = (
        Certificate.objects.select_related("issuer", "volunteer__user").filter(number=number).first()
    )
    if certificate is None:
        return render(request, "hours/certificates/verify.html", {"number": number}, status=404)
    context = {
        "number": number,
        "c": certificate,
        "issued": timezone.localdate(certificate.created_at),
        "revoked": certificate.revoked_at is not None,
        "holder": holder_masked(certificate.volunteer.user.display_name),
    }
    return render(request, "hours/certificates/verify.html", context)
