"""The roster spreadsheet: the blank template to import from, and a team's 人员名单 to send upward."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.core.phones import mask_mobile
from zhiyuan.core.spreadsheets import new_workbook, safe_cell
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import IdReveal, Volunteer
from zhiyuan.people.services.roster_columns import COLUMNS

EXPORT_HEADERS = [
    "序号",
    "志愿者编号",
    "姓名",
    "性别",
    "年龄",
    "证件类型",
    "证件号码",
    "手机号码",
    "政治面貌",
    "专业技能",
    "所在队伍",
    "角色",
    "职务",
]


def roster_template() -> bytes:
    buffer, book = new_workbook()
    head = book.add_format({"bold": True, "bg_color": "#FDE8E8"})
    optional = book.add_format({"bold": True, "bg_color": "#EEF2F7"})
    sheet = book.add_worksheet("名单")
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header, head if column.required else optional)
        sheet.set_column(col, col, 16)
        if column.note:
            sheet.write_comment(0, col, column.note)
    notes = book.add_worksheet("填写说明")
    notes.write_string(0, 0, "列名")
    notes.write_string(0, 1, "必填")
    notes.write_string(0, 2, "说明")
    for row, column in enumerate(COLUMNS, start=1):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, "是" if column.required else "")
        notes.write_string(row, 2, column.note)
    notes.set_column(0, 0, 14)
    notes.set_column(2, 2, 60)
    book.close()
    return buffer.getvalue()


def roster_rows(*, by: Any, organization: Organization) -> list[Membership]:
    """Everyone holding a role in `organization`'s subtree, with what the roster shows — four queries."""
    access.require(by, Perm.VOLUNTEER_VIEW, organization)
    volunteers = Volunteer.objects.select_related(None).prefetch_related("skills")
    return list(
        Membership.objects.filter(organization__path__startswith=organization.path)
        .select_related("user", "organization")
        .prefetch_related(Prefetch("user__volunteer", queryset=volunteers))
        .order_by("organization__path", "role", "user__full_name", "pk")
    )


def roster_export(*, by: Any, organization: Organization, full_ids: bool = False) -> bytes:
    """The team's 人员名单. ID numbers are masked unless the exporter may see them and asks to; then each
    one shown is recorded as a reveal, like on screen."""
    if full_ids:
        access.require(by, Perm.PERSON_REVEAL, organization)
    show_mobile = access.can(by, Perm.VOLUNTEER_CHANGE, organization)
    # one row per person, with every role they hold here (a team member is often also its 志愿者)
    people: dict[int, list[Membership]] = {}
    for membership in roster_rows(by=by, organization=organization):
        people.setdefault(membership.user_id, []).append(membership)
    buffer, book = new_workbook()
    head = book.add_format({"bold": True})
    sheet = book.add_worksheet("人员名单")
    sheet.write_string(0, 0, f"{organization.name} 志愿者人员名单（{timezone.localdate():%Y-%m-%d}）", head)
    for col, header in enumerate(EXPORT_HEADERS):
        sheet.write_string(1, col, header, head)
    revealed: list[IdReveal] = []
    sheet.repeat_rows(1, 1)
    for index, held in enumerate(people.values(), start=1):
        m = held[0]
        v: Volunteer | None = getattr(m.user, "volunteer", None)
        id_number = ""
        if v is not None:
            id_number = v.reveal_id_number() if full_ids else v.id_masked
            if full_ids:
                revealed.append(
                    IdReveal(volunteer=v, by=by, reason=_("导出名单：%(org)s") % {"org": organization.name})
                )
        values = [
            index,
            v.number if v else "",
            m.user.display_name,
            v.get_gender_display() if v else "",
            v.age if v else "",
            v.get_id_type_display() if v else "",
            id_number,
            m.user.mobile if show_mobile else mask_mobile(m.user.mobile),
            v.get_political_status_display() if v else "",
            "、".join(s.name for s in v.skills.all()) if v else "",
            "、".join(dict.fromkeys(h.organization.name for h in held)),
            "、".join(dict.fromkeys(str(h.get_role_display()) for h in held)),
            "、".join(dict.fromkeys(h.title for h in held if h.title)),
        ]
        for col, value in enumerate(values):
            sheet.write(index + 1, col, safe_cell(value) if isinstance(value, str) else value)
    sheet.set_column(0, len(EXPORT_HEADERS) - 1, 14)
    book.close()
    IdReveal.objects.bulk_create(revealed, batch_size=1000)
    return buffer.getvalue()
