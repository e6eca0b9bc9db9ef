"""结对: registering a migrant worker's child (with the guardian's consent), pairing them with a 小小志愿者
or a volunteer, logging contacts, and recording donations to schools.

Rules from REGULATIONS.md §6: every child's record needs the guardian's consent, recorded with its time
(PIPL Art. 31 requires it under 14; we ask it of every minor); a 小小志愿者 under 6 is not accepted, one
under 14 must have a guardian on their volunteer record (guardian consent at registration)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.community.models import Child, Pairing, PairingContact, SchoolDonation
from zhiyuan.community.services.common import Errors, add, phone, raise_if, require_change, text
from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

ADULT_AGE = 18
LITTLE_VOLUNTEER_MIN_AGE = 6
GUARDIAN_AGE = 14


def child_visible(user: Any, child: Child) -> bool:
    """The child's personal data: the responsible officer, a pairing's responsible officer, the admin."""
    if not (user and user.is_authenticated):
        return False
    if child.responsible_id == user.pk or access.can(user, Perm.CHILD_REVEAL, child.organization):
        return True
    return Pairing.objects.filter(child=child, responsible_id=user.pk).exists()


def _responsible(responsible: Any, organization: Organization, errors: Errors) -> None:
    if responsible is None or not access.can(responsible, Perm.COMMUNITY_CHANGE, organization):
        add(errors, "responsible", _("负责人必须是该单位有管理权限的工作人员。"))


@transaction.atomic
def child_register(
    *,
    by: Any,
    organization: Organization,
    name: str,
    birth_year: int | None,
    school: str,
    guardian_name: str,
    guardian_phone: str,
    guardian_consent: bool,
    consent_note: str = "",
    responsible: Any = None,
) -> Child:
    require_change(by, organization)
    responsible = responsible or by
    errors: Errors = {}
    name = text(name, "name", 30, errors, _("请填写儿童姓名。"))
    year = timezone.localdate().year
    if birth_year is None:
        add(errors, "birth_year", _("请填写出生年份。"))
    elif not (year - ADULT_AGE < birth_year <= year):
        add(errors, "birth_year", _("只登记未满18周岁的儿童。"))
    school = text(school, "school", 100, errors, _("请填写就读学校。"))
    guardian_name = text(guardian_name, "guardian_name", 30, errors, _("请填写监护人姓名。"))
    guardian_phone = phone(guardian_phone, "guardian_phone", errors)
    if not guardian_consent:
        add(errors, "guardian_consent", _("须经监护人同意后才能登记儿童信息（个人信息保护法第三十一条）。"))
    consent_note = text(consent_note, "consent_note", 200, errors, _("请说明监护人同意的方式。"))
    _responsible(responsible, organization, errors)
    raise_if(errors)
    assert birth_year is not None
    child = Child(
        organization=organization,
        name=name,
        birth_year=birth_year,
        school=school,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        consent_at=timezone.now(),
        consent_note=consent_note,
        responsible=responsible,
    )
    audit.attribute(child, by)
    child.save()
    return child


@transaction.atomic
def pairing_create(
    *,
    by: Any,
    child: Child,
    volunteer: Volunteer | None,
    responsible: Any = None,
    started_on: date | None = None,
) -> Pairing:
    if not child_visible(by, child):
        raise access.PermissionDenied(_("只有儿童的负责人可以为其结对。"))
    require_change(by, child.organization)
    responsible = responsible or child.responsible
    errors: Errors = {}
    if volunteer is None or not access.can(by, Perm.VOLUNTEER_VIEW, volunteer.home_organization):
        add(errors, "volunteer", _("所选志愿者不存在。"))
    elif volunteer.age < LITTLE_VOLUNTEER_MIN_AGE:
        add(errors, "volunteer", _("未满6周岁的儿童不能作为小小志愿者。"))
    elif volunteer.age < GUARDIAN_AGE and not volunteer.guardian_name:
        add(errors, "volunteer", _("未满14周岁的小小志愿者须有监护人同意，请先补充其监护人信息。"))
    _responsible(responsible, child.organization, errors)
    raise_if(errors)
    assert volunteer is not None
    if Pairing.objects.filter(child=child, volunteer=volunteer, ended_on__isnull=True).exists():
        raise Refused(_("该志愿者已与这名儿童结对。"))
    pairing = Pairing(
        child=child,
        volunteer=volunteer,
        organization=child.organization,
        responsible=responsible,
        started_on=started_on or timezone.localdate(),
    )
    audit.attribute(pairing, by)
    pairing.save()
    return pairing


@transaction.atomic
def pairing_contact_add(
    *, by: Any, pairing: Pairing, day: date | None, kind: str, help_given: str
) -> PairingContact:
    if not child_visible(by, pairing.child):
        raise access.PermissionDenied(_("只有结对负责人可以记录联系情况。"))
    errors: Errors = {}
    if day is None:
        add(errors, "day", _("请填写日期。"))
    elif day > timezone.localdate() or day < pairing.started_on:
        add(errors, "day", _("日期应在结对之后、今天之前。"))
    if kind not in PairingContact.Kind.values:
        add(errors, "kind", _("请选择联系方式。"))
    help_given = text(help_given, "help_given", 2000, errors, _("请填写提供了哪些帮助。"))
    raise_if(errors)
    assert day is not None
    contact = PairingContact(pairing=pairing, day=day, kind=kind, help_given=help_given, recorded_by=by)
    audit.attribute(contact, by)
    contact.save()
    return contact


@transaction.atomic
def donation_record(
    *,
    by: Any,
    organization: Organization,
    school: str,
    items: str,
    quantity: int | None,
    donor: str,
    donated_on: date | None,
    unit: str = "件",
) -> SchoolDonation:
    require_change(by, organization)
    errors: Errors = {}
    school = text(school, "school", 100, errors, _("请填写受赠学校。"))
    items = text(items, "items", 100, errors, _("请填写捐赠物品。"))
    unit = text(unit, "unit", 10, errors, _("请填写单位。"))
    donor = text(donor, "donor", 100, errors, _("请填写捐赠方。"))
    if quantity is None or quantity <= 0:
        add(errors, "quantity", _("数量应大于0。"))
    if donated_on is None:
        add(errors, "donated_on", _("请填写捐赠日期。"))
    elif donated_on > timezone.localdate():
        add(errors, "donated_on", _("捐赠日期不能晚于今天。"))
    raise_if(errors)
    assert quantity is not None and donated_on is not None
    donation = SchoolDonation(
        organization=organization,
        school=school,
        items=items,
        quantity=quantity,
        unit=unit,
        donor=donor,
        donated_on=donated_on,
        recorded_by=by,
    )
    audit.attribute(donation, by)
    donation.save()
    return donation


@transaction.atomic
def child_consent_withdraw(*, by: Any, child: Child) -> Child:
    """The guardian withdraws consent (PIPL Art. 15, 47): pairings end today and the child's personal data
    is erased from the record; the contacts logged keep only what help was given, not who to."""
    if not child_visible(by, child):
        raise access.PermissionDenied(_("只有儿童的负责人可以办理撤回同意。"))
    today = timezone.localdate()
    for pairing in Pairing.objects.filter(child=child, ended_on__isnull=True):
        pairing.ended_on = today
        audit.attribute(pairing, by, "监护人撤回同意")
        pairing.save(update_fields=["ended_on", "updated_at"])
    child.name = "（已撤回）"
    child.school = ""
    child.guardian_name = ""
    child.guardian_phone = ""
    child.consent_note = _("监护人于%(day)s撤回同意，个人信息已删除。") % {"day": today.isoformat()}
    audit.attribute(child, by, "监护人撤回同意")
    child.save()
    # the audit trail must not keep what was erased
    child.history.exclude(pk=child.history.latest().pk).update(
        name="（已撤回）", school="", guardian_name="", guardian_phone=""
    )
    return child
