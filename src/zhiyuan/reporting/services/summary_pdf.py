"""活动综述 (seed 000 §四(三): "提交图文并茂的活动综述") as a PDF: the units' summaries, the key figures, hours
per week as a bar chart, and photos from accepted reports. reportlab with its built-in CJK font, as the
certificates are printed (hours/certificate_pdf.py); no DOCX library is installed.
"""

from __future__ import annotations

import io
import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhiyuan.campaigns.models import Campaign, Duty, ServiceGiven, Station
from zhiyuan.hours.models import LedgerEntry
from zhiyuan.reporting.models import Form, Submission, SubmissionFile
from zhiyuan.reporting.selectors.scoreboard_activity import activity_by_unit
from zhiyuan.reporting.selectors.scoreboard_window import range_window
from zhiyuan.reporting.services.deadlines import SHANGHAI

log = logging.getLogger(__name__)
FONT = "STSong-Light"  # reportlab's built-in CJK font: nothing to install or ship
MAX_PHOTOS = 6
DELIVERED = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


@dataclass(frozen=True)
class Figures:
    stations: int
    duties_held: int
    volunteers: int
    hours: Decimal
    services: int
    reports: int
    reports_on_time: int


def campaign_figures(campaign: Campaign) -> Figures:
    """The campaign's key figures: its stations and duties, the ledger across the organiser's subtree
    during the campaign, the services recorded at its stations, and its reports."""
    window = range_window(campaign.starts_on, campaign.ends_on)
    activity = activity_by_unit([campaign.organizer_id], window).get(campaign.organizer_id)
    reports = Submission.objects.filter(rule__campaign=campaign, first_submitted_at__isnull=False)
    return Figures(
        stations=Station.objects.filter(campaign=campaign).count(),
        duties_held=Duty.objects.filter(campaign=campaign, status=Duty.Status.DONE).count(),
        volunteers=activity.volunteers if activity else 0,
        hours=activity.hours if activity else Decimal(0),
        services=ServiceGiven.objects.filter(station__campaign=campaign).aggregate(n=Sum("count"))["n"] or 0,
        reports=reports.count(),
        reports_on_time=reports.filter(on_time=True).count(),
    )


def hours_per_week(campaign: Campaign) -> list[tuple[date, Decimal]]:
    """(Beijing Monday, net hours) for each week of the campaign, weeks without service included."""
    window = range_window(campaign.starts_on, campaign.ends_on)
    rows = (
        LedgerEntry.objects.filter(
            organization__path__startswith=campaign.organizer.path,
            starts_at__gte=window.start,
            starts_at__lt=window.end,
        )
        .annotate(day=TruncDate("starts_at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(h=Sum("hours"))
        .values_list("day", "h")
    )
    weeks: dict[date, Decimal] = defaultdict(Decimal)
    monday = campaign.starts_on - timedelta(days=campaign.starts_on.weekday())
    while monday <= campaign.ends_on:
        weeks[monday] = Decimal(0)
        monday += timedelta(days=7)
    for day, hours in rows:
        weeks[day - timedelta(days=day.weekday())] += Decimal(hours or 0)
    return sorted(weeks.items())


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=1),
        "sub": ParagraphStyle("sub", parent=base, fontSize=11, alignment=1, textColor=colors.grey),
        "h2": ParagraphStyle("h2", parent=base, fontSize=14, leading=22, spaceBefore=8, spaceAfter=4),
        "body": base,
        "caption": ParagraphStyle("caption", parent=base, fontSize=9, leading=13, textColor=colors.grey),
    }


def _nice_step(top: float) -> float:
    """A value-axis step of 1, 2 or 5 × 10^n giving four to six ticks up to `top`."""
    if top <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(top / 5))
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= 6:
            return float(step * factor)
    return float(step * 10)


def _chart(weeks: list[tuple[date, Decimal]], font: str) -> Drawing | Paragraph:
    """Hours per week: titled, both axes named, the value axis in round steps from 0, every bar labelled
    while there is room, the week labels thinned and slanted on a long campaign."""
    if not weeks or not any(hours for __, hours in weeks):
        return Paragraph(
            escape(_("每周服务时长：本活动尚无计入的服务时长。")), ParagraphStyle("empty", fontName=font)
        )
    drawing = Drawing(160 * mm, 78 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 18 * mm, 18 * mm, 136 * mm, 48 * mm
    values = [float(hours) for __, hours in weeks]
    chart.data = [values]
    many = len(weeks) > 12
    every = math.ceil(len(weeks) / 12)
    chart.categoryAxis.categoryNames = [
        f"{monday:%m-%d}" if i % every == 0 else "" for i, (monday, __) in enumerate(weeks)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    if many:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    step = _nice_step(max(values))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * math.ceil(max(values) / step)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.bars[0].fillColor = colors.HexColor("#c8161d")
    if not many:
        chart.barLabelFormat = "%.1f"
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 6
        chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(80 * mm, 73 * mm, _("每周服务时长"), fontName=font, fontSize=10, textAnchor="middle"))
    y_title = String(0, 0, _("小时"), fontName=font, fontSize=8, textAnchor="middle")
    y_title.x, y_title.y = 6 * mm, 42 * mm
    drawing.add(y_title)
    drawing.add(
        String(
            86 * mm,
            2 * mm,
            _("周（以周一日期标注，北京时间）"),
            fontName=font,
            fontSize=8,
            textAnchor="middle",
        )
    )
    return drawing


def _photos(campaign: Campaign) -> list[SubmissionFile]:
    return list(
        SubmissionFile.objects.filter(
            submission__rule__campaign=campaign,
            submission__status=Submission.Status.ACCEPTED,
            kind=SubmissionFile.Kind.PHOTO,
        )
        .select_related("submission__organization")
        .order_by("-submission__selected", "pk")[:MAX_PHOTOS]
    )


def _image(photo: SubmissionFile, width: float) -> Image | None:
    try:
        with photo.file.open("rb") as fh:
            data = io.BytesIO(fh.read())
        w, h = ImageReader(data).getSize()
    except (OSError, ValueError):  # a file gone from storage leaves a gap, not a failed export
        log.warning("summary pdf: photo %s unreadable", photo.pk)
        return None
    data.seek(0)
    return Image(data, width=width, height=width * h / w)


def campaign_summary_pdf(campaign: Campaign) -> bytes:
    font = _font()
    s = _styles(font)
    figures = campaign_figures(campaign)
    summaries = list(
        Submission.objects.filter(rule__campaign=campaign, rule__form=Form.SUMMARY, status__in=DELIVERED)
        .filter(~Q(text=""))
        .select_related("organization")
        .order_by("organization__path", "pk")
    )
    title = _("%(t)s综述") % {"t": campaign.title}  # the campaign title already ends in 活动
    story: list[Any] = [
        Paragraph(escape(title), s["title"]),
        Paragraph(
            escape(
                _("%(a)s至%(b)s，共%(n)s天　主办：%(o)s")
                % {
                    "a": f"{campaign.starts_on:%Y年%m月%d日}",
                    "b": f"{campaign.ends_on:%Y年%m月%d日}",
                    "n": campaign.days,
                    "o": campaign.organizer.name,
                }
            ),
            s["sub"],
        ),
        Spacer(1, 6 * mm),
        Paragraph(_("主要数据"), s["h2"]),
    ]
    rows = [
        (_("志愿服务站点"), _("%(n)s 个") % {"n": figures.stations}),
        (_("集中志愿服务"), _("%(n)s 次") % {"n": figures.duties_held}),
        (_("参与志愿者"), _("%(n)s 人") % {"n": figures.volunteers}),
        (_("服务时长"), _("%(n)s 小时") % {"n": figures.hours}),
        (_("提供服务"), _("%(n)s 人次") % {"n": figures.services}),
        (_("按时上报"), _("%(a)s / %(b)s 份") % {"a": figures.reports_on_time, "b": figures.reports}),
    ]
    table = Table(rows, colWidths=[45 * mm, 60 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 11),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm), _chart(hours_per_week(campaign), font)]
    story.append(Paragraph(_("活动综述"), s["h2"]))
    if not summaries:
        story.append(Paragraph(_("尚无单位提交活动总结。"), s["body"]))
    for sub in summaries:
        story.append(Paragraph(escape(sub.organization.name), s["h2"]))
        for para in (p.strip() for p in sub.text.splitlines()):
            if para:
                story.append(Paragraph(escape(para), s["body"]))
    photos = _photos(campaign)
    if photos:
        story.append(Paragraph(_("活动图片"), s["h2"]))
        for photo in photos:
            image = _image(photo, 120 * mm)
            if image is not None:
                caption = photo.caption or photo.submission.organization.name
                story += [image, Paragraph(escape(caption), s["caption"]), Spacer(1, 3 * mm)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm
    )
    doc.build(story)
    return buffer.getvalue()
