"""The printable 志愿服务证明: an A4 PDF with an embedded CJK font subset and a verification QR code.

The font is embedded (a TrueType subset of the glyphs used), so the PDF reads the same on a machine
without any Chinese font. reportlab embeds only TrueType outlines — not the OTF/CFF of Noto CJK — so the
font is WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, installed by .ci/run) or the TrueType file named
by `ZHIYUAN_CJK_FONT`. Without one the PDF falls back to the non-embedded STSong-Light, with a warning.

Content follows 办法 Art. 15 and 民发〔2015〕149号: identity (姓名、证件号码 masked、志愿者编号), service
(时间、内容), issuer (记录单位), number and issue date.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import segno
from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from zhiyuan.hours.models import Certificate
from zhiyuan.hours.services.certificates import verification_url
from zhiyuan.hours.services.ledger import SHANGHAI

FALLBACK = "STSong-Light"  # a reader-side font: never embedded, shown only where the reader has it
EMBEDDED = "ZhiyuanCJK"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
log = logging.getLogger(__name__)


def _font_file() -> str | None:
    configured = str(getattr(settings, "ZHIYUAN_CJK_FONT", "") or "")
    for path in (configured, *CANDIDATES):
        if path and Path(path).is_file():
            return path
    return None


def _font() -> str:
    registered = pdfmetrics.getRegisteredFontNames()
    if EMBEDDED in registered:
        return EMBEDDED
    path = _font_file()
    if path is not None:
        pdfmetrics.registerFont(TTFont(EMBEDDED, path, subfontIndex=0))  # subset-embedded on output
        return EMBEDDED
    log.warning(
        "no TrueType CJK font found (install fonts-wqy-microhei or set ZHIYUAN_CJK_FONT): "
        "certificates use the non-embedded %s",
        FALLBACK,
    )
    if FALLBACK not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break Chinese text by width, character by character (it has no spaces to break at)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines or [""]


def _date(value: object) -> str:
    return f"{value:%Y年%m月%d日}"


def certificate_pdf(certificate: Certificate) -> bytes:
    font = _font()
    volunteer = certificate.volunteer
    buffer = io.BytesIO()
    # the CJK font from the first operator on: otherwise the page names a (non-embedded) Helvetica
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=font)
    pdf.setTitle(f"志愿服务证明 {certificate.number}")
    width, height = A4
    left, right = 25 * mm, width - 25 * mm

    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 40 * mm, "志愿服务证明")
    pdf.setFont(font, 10)
    pdf.drawRightString(right, height - 52 * mm, f"证明编号：{certificate.number}")

    issued = timezone.localtime(certificate.created_at, SHANGHAI).date()
    rows = [
        ("姓名", volunteer.user.display_name),
        ("证件号码", volunteer.id_masked),
        ("志愿者编号", volunteer.number),
        ("服务期间", f"{_date(certificate.period_start)} 至 {_date(certificate.period_end)}"),
        ("服务时间", f"{certificate.hours} 小时"),
        ("服务内容", certificate.content),
        ("记录单位", certificate.issuer.name),
        ("出具日期", _date(issued)),
    ]
    y = height - 68 * mm
    label_width = 30 * mm
    for label, value in rows:
        pdf.setFont(font, 12)
        pdf.drawString(left, y, f"{label}：")
        lines = _wrap(str(value), font, 12, right - left - label_width)
        for line in lines:
            pdf.drawString(left + label_width, y, line)
            y -= 8 * mm
        y -= 2 * mm

    y -= 4 * mm
    pdf.setFont(font, 10)
    notes = [
        "本证明依据志愿服务记录如实出具，免费提供（《志愿服务记录与证明出具办法》第十四条）。",
        "可扫描右侧二维码或访问以下网址查验真伪：",
        verification_url(certificate.number),
    ]
    for note in notes:
        for line in _wrap(note, font, 10, right - left - 45 * mm):
            pdf.drawString(left, y, line)
            y -= 6 * mm

    qr = segno.make(verification_url(certificate.number), error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=8, border=4)
    png.seek(0)
    size = 40 * mm
    pdf.drawImage(ImageReader(png), right - size, y, width=size, height=size)
    seal = certificate.issuer.seal
    if seal:
        # beside the QR code, over the notes' end: where a paper certificate is stamped
        with seal.open("rb") as image:
            stamp = ImageReader(io.BytesIO(image.read()))
        pdf.drawImage(
            stamp, right - size - 45 * mm, y, width=40 * mm, height=40 * mm, preserveAspectRatio=True
        )

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
