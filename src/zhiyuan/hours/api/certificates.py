"""/api/v1/me/certificates, /certificates/{number}/pdf and the public /verify/{number}."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.hours.certificate_pdf import certificate_pdf
from zhiyuan.hours.models import Certificate
from zhiyuan.hours.services.certificates import (
    can_see,
    certificate_issue,
    holder_masked,
    issuer_choices,
    my_certificates,
    verification_url,
)
from zhiyuan.people.models import Volunteer

router = Router(tags=["certificates"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


class CertificateIn(Strict):
    issuer_id: int
    period_start: date
    period_end: date


class CertificateOut(Schema):
    number: str
    issuer_id: int
    issuer_name: str
    period_start: date
    period_end: date
    hours: Decimal
    content: str
    issued_on: date
    revoked: bool
    verify_url: str


class VerificationOut(Schema):
    """Only what verification needs: the holder's masked name (王*跃), no full name, no ID number."""

    number: str
    holder: str
    issuer_name: str
    period_start: date
    period_end: date
    hours: Decimal
    issued_on: date
    status: str


def _out(c: Certificate) -> dict[str, Any]:
    return {
        "number": c.number,
        "issuer_id": c.issuer_id,
        "issuer_name": c.issuer.name,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "hours": c.hours,
        "content": c.content,
        "issued_on": timezone.localdate(c.created_at),
        "revoked": c.revoked_at is not None,
        "verify_url": verification_url(c.number),
    }


def _my_volunteer(request: AuthedRequest) -> Volunteer:
    volunteer = Volunteer.objects.filter(user=request.auth).first()
    if volunteer is None:
        raise Http404(_("您的账号还没有志愿者资料。"))
    return volunteer


@router.get("/me/certificates", response={200: list[CertificateOut], 404: Error})
@paginate(Paginated)
def list_my_certificates(request: AuthedRequest) -> Any:
    return [_out(c) for c in my_certificates(_my_volunteer(request))]


@router.post("/me/certificates", response={201: CertificateOut, **WRITE_ERRORS})
def issue_my_certificate(request: AuthedRequest, payload: CertificateIn) -> Any:
    volunteer = _my_volunteer(request)
    issuer = issuer_choices(volunteer).filter(pk=payload.issuer_id).first()
    if issuer is None:
        raise Http404(_("未找到该记录单位。"))
    certificate = certificate_issue(
        by=request.auth,
        volunteer=volunteer,
        issuer=issuer,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _out(certificate))


@router.get("/certificates/{number}/pdf", response={200: None, 404: Error})
def certificate_pdf_download(request: AuthedRequest, number: str) -> Any:
    certificate = (
        Certificate.objects.select_related("volunteer__user", "issuer").filter(number=number).first()
    )
    if certificate is None or not can_see(request.auth, certificate):
        raise Http404(_("未找到。"))
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/verify/{number}", auth=None, response={200: VerificationOut, 404: Error})
def verify_certificate(request: HttpRequest, number: str) -> Any:
    certificate = (
        Certificate.objects.select_related("issuer", "volunteer__user").filter(number=number).first()
    )
    if certificate is None:
        raise Http404(_("未找到。"))
    return {
        "number": certificate.number,
        "holder": holder_masked(certificate.volunteer.user.display_name),
        "issuer_name": certificate.issuer.name,
        "period_start": certificate.period_start,
        "period_end": certificate.period_end,
        "hours": certificate.hours,
        "issued_on": timezone.localdate(certificate.created_at),
        "status": "revoked" if certificate.revoked_at is not None else "valid",
    }
