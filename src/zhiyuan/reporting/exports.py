"""The printed forms units report on: attachment 2 (各单位信息一览表, each unit's contacts) and attachment 4
(活动信息上报表, one per activity report), registered in `core.attachments` (ReportingConfig.ready). Their
field lists are the report forms' own (form_fields.CONTACTS, form_fields.ACTIVITY_REPORT)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core import attachments
from zhiyuan.core.spreadsheets import form_book, form_heading, print_layout, sheet_name
from zhiyuan.organizations.models import ContactCategory, Organization, UnitContact
from zhiyuan.reporting.form_fields import ACTIVITY_REPORT, CONTACT_CATEGORIES, CONTACTS
from zhiyuan.reporting.models import Form, ReportRule, Submission
from zhiyuan.reporting.selectors.expected import rule_organization_ids

ATTACHMENT_2_TITLE = gettext_lazy("关爱外来务工人员志愿服务活动各单位信息一览表")
ATTACHMENT_2_COLUMNS = [
    gettext_lazy("类别"),
    gettext_lazy("姓名"),
    gettext_lazy("职务"),
    gettext_lazy("办公电话"),
    gettext_lazy("手机"),
]


def _tree_order(org: Organization) -> tuple[int, ...]:
    # the tree as the seed lists it: parents before children, siblings in the order they were entered
    return tuple(int(part) for part in org.path.strip("/").split("/") if part)


def expected_units(campaign: Campaign) -> list[Organization]:
    """The units the campaign expects the contact sheet from: those its 附件2 rule names (else those any of
    its rules names), in the tree's order — whether or not they have entered contacts yet."""
    rules = list(
        ReportRule.objects.filter(campaign=campaign, form=Form.CONTACTS).select_related("applies_to")
    )
    if not rules:
        rules = list(ReportRule.objects.filter(campaign=campaign).select_related("applies_to"))
    ids = set().union(*rule_organization_ids(rules).values()) if rules else set()
    return sorted(Organization.objects.filter(pk__in=ids), key=_tree_order)


def attachment_2(campaign: Campaign) -> bytes:
    """One sheet (one page) per expected unit, named by the unit: the four categories in the seed's order,
    blank where the unit has not entered that contact yet, and the campaign's 备注 line."""
    units = expected_units(campaign)
    contacts: dict[tuple[int, str], UnitContact] = {
        (c.organization_id, c.category): c for c in UnitContact.objects.filter(organization__in=units)
    }
    buffer, book, f = form_book()
    title = attachments.title(campaign, ATTACHMENT_2_TITLE)
    note = attachments.note(campaign, 2)
    taken: set[str] = set()
    forms: list[Organization | None] = list(units) or [None]  # none expected yet: one blank form
    for org in forms:
        sheet = book.add_worksheet(sheet_name(org.name, taken) if org else "附件2")
        row = form_heading(sheet, f, label=attachments.label(2), title=title, width=5)
        unit = org.name if org else ""
        sheet.merge_range(row, 0, row, 4, _("填报单位名称（盖章）：%(unit)s") % {"unit": unit}, f["left"])
        row += 1
        for col, header in enumerate(ATTACHMENT_2_COLUMNS):
            sheet.write_string(row, col, str(header), f["head"])
            sheet.set_column(col, col, 18)
        print_layout(sheet, header_rows=(0, row), one_page=True)
        for category in CONTACT_CATEGORIES:
            row += 1
            c = contacts.get((org.pk, category)) if org else None
            values = [c.name, c.title, c.office_phone, c.mobile] if c else ["", "", "", ""]
            sheet.write_string(row, 0, str(ContactCategory(category).label), f["cell"])
            for col, value in enumerate(values, start=1):
                sheet.write_string(row, col, value, f["cell"])
            sheet.set_row(row, 30)
        if note:
            sheet.merge_range(row + 1, 0, row + 1, 4, note, f["note"])
            sheet.set_row(row + 1, 36)
    book.close()
    return buffer.getvalue()


ATTACHMENT_4_TITLE = gettext_lazy("关爱外来务工人员\n志愿服务活动信息上报表")


def attachment_4(campaign: Campaign) -> bytes:
    """One sheet (one page) per activity report submitted or accepted for the campaign, each the printed
    form — the two-line title over both columns, the six row labels, the note below. With no report yet,
    one blank form to fill by hand."""
    reports = list(
        Submission.objects.filter(
            rule__campaign=campaign,
            rule__form=Form.ACTIVITY_REPORT,
            status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
        )
        .select_related("organization", "duty")
        .order_by("first_submitted_at", "pk")
    )
    buffer, book, f = form_book()
    title = attachments.title(campaign, ATTACHMENT_4_TITLE)
    note = attachments.note(campaign, 4)
    taken: set[str] = set()
    for number, report in enumerate(reports or [None], start=1):
        name = f"{number}-{report.organization.name}" if report else "附件4"
        _activity_form(book.add_worksheet(sheet_name(name, taken)), title, report, note, f)
    book.close()
    return buffer.getvalue()


def _activity_form(sheet: Any, title: str, report: Any, note: str, f: dict[str, Any]) -> None:
    row = form_heading(sheet, f, label=attachments.label(4), title=title, width=2)
    print_layout(sheet, header_rows=(0, 1), one_page=True)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 64)
    values = dict(report.fields) if report else {}
    if report and not values.get("organizer"):
        values["organizer"] = report.organization.name
    for field in ACTIVITY_REPORT:
        sheet.write_string(row, 0, str(field.label), f["head"])
        sheet.write_string(row, 1, str(values.get(field.name) or ""), f["left"])
        sheet.set_row(row, 120 if field.multiline and field.required else 36)
        row += 1
    if note:
        sheet.merge_range(row, 0, row, 1, note, f["note"])
        sheet.set_row(row, 36)


def register() -> None:
    attachments.register(
        attachments.Attachment(2, ATTACHMENT_2_TITLE, attachment_2, fields=CONTACTS, form=Form.CONTACTS)
    )
    attachments.register(
        attachments.Attachment(
            4, ATTACHMENT_4_TITLE, attachment_4, fields=ACTIVITY_REPORT, form=Form.ACTIVITY_REPORT
        )
    )
