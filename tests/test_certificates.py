"""志愿服务证明: issued from the ledger, printed as a PDF with a QR code, verified publicly (办法 Arts. 14–17)."""

import re
import shutil
import subprocess
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.people_helpers import bulk_volunteers
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.hours.certificate_pdf import certificate_pdf
from zhiyuan.hours.models import Certificate
from zhiyuan.hours.services.certificates import certificate_issue, certificate_revoke, holder_masked
from zhiyuan.hours.services.ledger import ledger_append, ledger_correct

NEEDS_TOOLS = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "zbarimg")),
    reason="needs poppler-utils and zbar-tools (.ci/run installs them)",
)


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def volunteers(world):
    return bulk_volunteers(world.east, 2, prefix="证明")


@pytest.fixture
def volunteer(volunteers):
    return volunteers[0]


def credit(world, volunteer, start, end, activity="东广场文明引导", organization=None):
    return ledger_append(
        volunteer=volunteer,
        organization=organization or world.east_team,
        activity=activity,
        starts_at=start,
        ends_at=end,
        source="bulk",
        by=world.east_officer,
    )


def issue(world, volunteer, by=None, issuer=None, days=30):
    today = timezone.localdate()
    return certificate_issue(
        by=by or volunteer.user,
        volunteer=volunteer,
        issuer=issuer or world.east,
        period_start=today - timedelta(days=days),
        period_end=today,
    )


@pytest.fixture
def certificate(world, volunteer):
    credit(world, volunteer, _at(3, 8), _at(3, 12))
    credit(world, volunteer, _at(2, 14), _at(2, 16) + timedelta(minutes=30), activity="地铁站秩序维护")
    credit(world, volunteer, _at(1, 8), _at(1, 10))
    return issue(world, volunteer)


def test_issue_sums_the_issuers_ledger(world, volunteer, certificate):
    year = timezone.localdate().year
    assert re.fullmatch(rf"ZM{year}-000001-[A-HJ-NP-Z2-9]{{4}}", certificate.number)
    assert certificate.hours == Decimal("8.50")
    assert certificate.content == "东广场文明引导、地铁站秩序维护"
    assert certificate.issued_by == volunteer.user
    # the next number is not the previous one plus one: its random tail cannot be guessed
    assert issue(world, volunteer).number.startswith(f"ZM{year}-000002-")


def test_reversals_count_and_other_issuers_do_not(world, volunteer):
    entry = credit(world, volunteer, _at(3, 8), _at(3, 12))
    credit(world, volunteer, _at(2, 8), _at(2, 10))
    credit(world, volunteer, _at(1, 8), _at(1, 11), organization=world.west_team)
    ledger_correct(by=world.east_officer, entry=entry, reason="签到有误")
    assert issue(world, volunteer).hours == Decimal("2.00")
    assert issue(world, volunteer, issuer=world.west).hours == Decimal("3.00")
    assert issue(world, volunteer, issuer=world.city).hours == Decimal("5.00")


def test_zero_hours_refused(world, volunteer):
    with pytest.raises(Refused, match="没有该单位记录的志愿服务时间"):
        issue(world, volunteer)
    credit(world, volunteer, _at(1, 8), _at(1, 12), organization=world.west_team)
    with pytest.raises(Refused):
        issue(world, volunteer)  # only the west recorded anything
    assert not Certificate.objects.exists()


def test_only_self_or_the_issuers_managers_may_issue(world, volunteers):
    volunteer, other = volunteers
    credit(world, volunteer, _at(1, 8), _at(1, 12))
    with pytest.raises(access.PermissionDenied):
        issue(world, volunteer, by=other.user)
    with pytest.raises(access.PermissionDenied):
        issue(world, volunteer, by=world.west_officer)
    assert issue(world, volunteer, by=world.east_officer).hours == Decimal("4.00")


def test_bad_period_refused(world, volunteer):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        certificate_issue(
            by=volunteer.user,
            volunteer=volunteer,
            issuer=world.east,
            period_start=today,
            period_end=today - timedelta(days=1),
        )


def test_revoke_only_by_the_issuer(world, volunteer, certificate):
    with pytest.raises(access.PermissionDenied):
        certificate_revoke(by=volunteer.user, certificate=certificate, reason="自行撤销")
    with pytest.raises(access.PermissionDenied):
        certificate_revoke(by=world.west_officer, certificate=certificate, reason="越权")
    with pytest.raises(ValidationError):
        certificate_revoke(by=world.east_officer, certificate=certificate, reason=" ")
    done = certificate_revoke(by=world.east_officer, certificate=certificate, reason="记录已更正")
    assert done.revoked_at is not None
    last = done.history.first()
    assert (last.history_user, last.history_change_reason) == (world.east_officer, "记录已更正")
    with pytest.raises(Refused):
        certificate_revoke(by=world.east_officer, certificate=certificate, reason="再次")


@NEEDS_TOOLS
def test_pdf_text_and_qr_code(world, volunteer, certificate, tmp_path: Path, settings):
    settings.ZHIYUAN_SITE_URL = "https://zhiyuan.example.cn/"  # a trailing slash is tolerated
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate_pdf(certificate))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "志愿服务证明",
        volunteer.user.full_name,
        volunteer.id_masked,
        volunteer.number,
        "8.50",
        certificate.number,
        world.east.name,
        "免费",
    ):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    (page,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == f"https://zhiyuan.example.cn/verify/{certificate.number}/"
    # every font embedded (a subset): the PDF reads the same where no Chinese font is installed
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = listing.splitlines()[2:]
    assert fonts and all(" yes yes " in f for f in fonts), listing  # emb yes, sub yes


def test_pdf_download_owner_and_issuer_only(world, volunteers, certificate):
    volunteer, other = volunteers
    url = f"/app/certificates/{certificate.number}.pdf"
    client = Client()
    assert client.get(url).status_code == 302  # sign in first
    for user, status in (
        (volunteer.user, 200),
        (world.east_officer, 200),
        (other.user, 404),
        (world.west_officer, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
    client.force_login(volunteer.user)
    assert client.get("/app/certificates/ZM2000-999999.pdf").status_code == 404


def test_verify_page_shows_facts_and_the_masked_holder_not_identity(world, volunteer, certificate):
    response = Client().get(f"/verify/{certificate.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "8.50" in html and certificate.number in html and world.east.name in html
    # the masked name, so the paper can be matched to the person showing it
    assert holder_masked(volunteer.user.display_name) in html
    assert "有效" in html and "已撤销" not in html
    for secret in (volunteer.user.full_name, volunteer.id_masked, volunteer.number, "东广场文明引导"):
        assert secret not in html
    certificate_revoke(by=world.east_officer, certificate=certificate, reason="记录已更正")
    assert "已撤销" in Client().get(f"/verify/{certificate.number}/").content.decode()
    assert Client().get("/verify/ZM2000-999999/").status_code == 404


def test_my_certificates_page_issues(world, volunteer):
    credit(world, volunteer, _at(1, 8), _at(1, 12))
    client = Client()
    client.force_login(volunteer.user)
    page = client.get("/app/me/certificates/")
    assert page.status_code == 200 and world.east.name in page.content.decode()
    today = timezone.localdate()
    response = client.post(
        "/app/me/certificates/",
        {
            "issuer": world.east.pk,
            "period_start": (today - timedelta(days=7)).isoformat(),
            "period_end": today.isoformat(),
        },
    )
    assert response.status_code == 302
    made = Certificate.objects.get()
    assert made.hours == Decimal("4.00")
    assert made.number in client.get("/app/me/certificates/").content.decode()
    refused = client.post(
        "/app/me/certificates/",
        {"issuer": world.east.pk, "period_start": "2020-01-01", "period_end": "2020-01-31"},
    )
    assert refused.status_code == 200 and "没有该单位记录" in refused.content.decode()


def test_api(world, volunteers, api_as):
    volunteer, other = volunteers
    credit(world, volunteer, _at(1, 8), _at(1, 12))
    me = api_as(volunteer.user)
    today = timezone.localdate()
    body = {
        "issuer_id": world.east.pk,
        "period_start": (today - timedelta(days=7)).isoformat(),
        "period_end": today.isoformat(),
    }
    made = me.post("/me/certificates", body)
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    assert made.json()["hours"] in ("4.00", 4.0, "4")
    assert made.json()["verify_url"].endswith(f"/verify/{number}/")
    assert [c["number"] for c in me.get("/me/certificates").json()["items"]] == [number]
    assert me.post("/me/certificates", {**body, "issuer_id": world.west.pk}).status_code == 404
    empty = {**body, "period_start": "2020-01-01", "period_end": "2020-01-31"}
    assert me.post("/me/certificates", empty).status_code == 409
    pdf = me.get(f"/certificates/{number}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api_as(other.user).get(f"/certificates/{number}/pdf").status_code == 404
    assert api_as(world.west_officer).get(f"/certificates/{number}/pdf").status_code == 404
    public = Client().get(f"/api/v1/verify/{number}")
    assert public.status_code == 200
    data = public.json()
    assert data["status"] == "valid" and data["issuer_name"] == world.east.name
    assert data["holder"] == holder_masked(volunteer.user.display_name)
    assert set(data) == {
        "number",
        "holder",
        "issuer_name",
        "period_start",
        "period_end",
        "hours",
        "issued_on",
        "status",
    }
    assert Client().get("/api/v1/verify/ZM2000-999999").status_code == 404


def _images_in(pdf: bytes) -> int:
    return pdf.count(b"/Subtype /Image")


def test_the_issuers_seal_is_printed_when_it_has_one(world, certificate, settings, tmp_path: Path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from zhiyuan.organizations.services import organization_set_seal

    settings.MEDIA_ROOT = tmp_path
    without = _images_in(certificate_pdf(certificate))  # the QR code alone
    red = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 20, 20)).save(red, "PNG")
    upload = SimpleUploadedFile("seal.png", red.getvalue(), content_type="image/png")
    with pytest.raises(access.PermissionDenied):  # only the issuing organisation's managers
        organization_set_seal(by=world.west_officer, organization=world.east, upload=upload)
    with pytest.raises(ValidationError):
        organization_set_seal(
            by=world.east_officer,
            organization=world.east,
            upload=SimpleUploadedFile("seal.png", b"not an image", content_type="image/png"),
        )
    upload.seek(0)
    organization_set_seal(by=world.east_officer, organization=world.east, upload=upload)
    certificate.issuer.refresh_from_db()
    assert _images_in(certificate_pdf(certificate)) == without + 1
    organization_set_seal(by=world.east_officer, organization=world.east, upload=None)
    certificate.issuer.refresh_from_db()
    assert _images_in(certificate_pdf(certificate)) == without


def test_the_seal_form_on_the_organisation_page(world, settings, tmp_path: Path):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (80, 80), (200, 20, 20)).save(image, "PNG")
    image.name = "seal.png"
    officer, outsider = Client(), Client()
    officer.force_login(world.east_officer)
    outsider.force_login(world.west_officer)
    assert "证明用章图片" in officer.get(f"/app/orgs/{world.east.pk}/").content.decode()
    assert outsider.post(f"/app/orgs/{world.east.pk}/seal/", {"seal": image}).status_code == 404
    image.seek(0)
    assert officer.post(f"/app/orgs/{world.east.pk}/seal/", {"seal": image}).status_code == 302
    world.east.refresh_from_db()
    assert world.east.seal.name.startswith("seals/")
