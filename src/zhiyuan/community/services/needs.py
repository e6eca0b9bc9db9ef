"""需求摸排: recording site visits and the needs of the people met, and following ticket-booking help to
booked / not booked. Nothing asks for an ID number; a phone is kept only when ticket help is wanted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.community.models import NeedRecord, SiteVisit
from zhiyuan.community.services.common import Errors, add, phone, raise_if, require_change, text
from zhiyuan.core import audit
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Kind, Organization

N = NeedRecord
NEED_FIELDS = (
    "name",
    "phone",
    "plan",
    "return_on",
    "destination",
    "wages",
    "owed_amount",
    "employer",
    "ticket",
    "ticket_note",
)


@transaction.atomic
def visit_create(
    *,
    by: Any,
    organization: Organization,
    district: Organization | None,
    site_name: str,
    site_kind: str,
    visited_on: date | None,
    people_met: int | None,
    note: str = "",
) -> SiteVisit:
    require_change(by, organization)
    errors: Errors = {}
    site_name = text(site_name, "site_name", 100, errors, _("请填写走访地点名称。"))
    if site_kind not in SiteVisit.SiteKind.values:
        add(errors, "site_kind", _("请选择地点类型。"))
    if district is None or district.kind != Kind.OFFICE:
        add(errors, "district", _("请选择地点所在的区（县）文明办。"))
    if visited_on is None:
        add(errors, "visited_on", _("请填写走访日期。"))
    elif visited_on > timezone.localdate():
        add(errors, "visited_on", _("走访日期不能晚于今天。"))
    if people_met is None or people_met < 0:
        add(errors, "people_met", _("请填写走访人数。"))
    elif people_met > 10000:
        add(errors, "people_met", _("走访人数不能超过10000。"))
    note = text(note, "note", 2000, errors)
    raise_if(errors)
    assert visited_on is not None and people_met is not None
    visit = SiteVisit(
        organization=organization,
        district=district,
        site_name=site_name,
        site_kind=site_kind,
        visited_on=visited_on,
        people_met=people_met,
        note=note,
        recorded_by=by,
    )
    audit.attribute(visit, by)
    visit.save()
    return visit


def _amount(value: Any, errors: Errors) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        add(errors, "owed_amount", _("请填写金额，例如 3500。"))
        return Decimal(0)
    if amount < 0 or amount >= Decimal("100000000"):
        add(errors, "owed_amount", _("金额应在0到1亿元之间。"))
    return amount.quantize(Decimal("0.01"))


def _clean_need(values: dict[str, Any], visit: SiteVisit) -> dict[str, Any]:
    errors: Errors = {}
    for field in sorted(set(values) - set(NEED_FIELDS)):
        add(errors, field, _("不能修改此字段。"))
    clean: dict[str, Any] = {
        "name": text(values.get("name"), "name", 30, errors),
        "destination": text(values.get("destination"), "destination", 50, errors),
        "employer": text(values.get("employer"), "employer", 100, errors),
        "ticket_note": text(values.get("ticket_note"), "ticket_note", 200, errors),
        "plan": values.get("plan") or N.Plan.UNDECIDED,
        "wages": values.get("wages") or N.Wages.UNKNOWN,
        "ticket": values.get("ticket") or N.Ticket.NOT_NEEDED,
        "return_on": values.get("return_on"),
        "owed_amount": _amount(values.get("owed_amount"), errors),
    }
    for field, choices in (("plan", N.Plan), ("wages", N.Wages), ("ticket", N.Ticket)):
        if clean[field] not in choices.values:
            add(errors, field, _("请从列表中选择。"))
    wants_ticket = clean["ticket"] != N.Ticket.NOT_NEEDED
    clean["phone"] = phone(values.get("phone"), "phone", errors, required=False)
    if wants_ticket and not clean["phone"]:
        add(errors, "phone", _("需要订票帮助时请留下联系电话。"))
    if not wants_ticket:
        clean["phone"] = ""  # minimised: no reason to keep a number nobody will call
    if clean["wages"] == N.Wages.OWED and not clean["owed_amount"]:
        add(errors, "owed_amount", _("请填写被拖欠的金额。"))
    if clean["wages"] != N.Wages.OWED:
        clean["owed_amount"] = Decimal(0)
    if clean["wages"] == N.Wages.OWED and not clean["employer"]:
        add(errors, "employer", _("请填写拖欠工资的用工单位。"))
    if clean["plan"] == N.Plan.RETURN:
        if not clean["destination"]:
            add(errors, "destination", _("请填写返乡目的地。"))
        ret = clean["return_on"]
        if ret is not None and not (
            visit.visited_on - timedelta(days=1) <= ret <= visit.visited_on + timedelta(days=120)
        ):
            add(errors, "return_on", _("返乡日期应在走访日期之后的四个月内。"))
    else:
        clean["return_on"] = None
    if wants_ticket and clean["plan"] != N.Plan.RETURN:
        add(errors, "ticket", _("只有返乡的人需要订票帮助。"))
    raise_if(errors)
    return clean


@transaction.atomic
def need_add(*, by: Any, visit: SiteVisit, **values: Any) -> NeedRecord:
    require_change(by, visit.organization)
    need = NeedRecord(visit=visit, **_clean_need(values, visit))
    audit.attribute(need, by)
    need.save()
    return need


@transaction.atomic
def need_ticket_set(*, by: Any, need: NeedRecord, ticket: str, note: str = "") -> NeedRecord:
    """Follow ticket-booking help: 已订到 or 未订到 (and back, while it is still being tried)."""
    require_change(by, need.visit.organization)
    if need.ticket == N.Ticket.NOT_NEEDED:
        raise Refused(_("此人没有申请订票帮助。"))
    errors: Errors = {}
    if ticket not in (N.Ticket.WANTED, N.Ticket.BOOKED, N.Ticket.NOT_BOOKED):
        add(errors, "ticket", _("请选择已订到或未订到。"))
    note = text(note, "note", 200, errors)
    raise_if(errors)
    need.ticket = ticket
    if note:
        need.ticket_note = note
    audit.attribute(need, by)
    need.save(update_fields=["ticket", "ticket_note", "updated_at"])
    return need
