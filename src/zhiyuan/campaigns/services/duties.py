"""A duty's life: done, or cancelled / postponed for bad weather — only with a 报备 filed before its date
(attachment 5, note 3: 遇严重雾霾等恶劣天气取消或顺延的，请提前报备)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Duty, DutyFiling
from zhiyuan.campaigns.services import station_handoffs
from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm


def _may_act(by: User, duty: Duty) -> None:
    """The responsible unit or the campaign's organiser manage a duty."""
    if not (
        access.can(by, Perm.DUTY_CHANGE, duty.responsible)
        or access.can(by, Perm.CAMPAIGN_CHANGE, duty.campaign.organizer)
    ):
        raise access.PermissionDenied()


def _locked(duty: Duty) -> Duty:
    return (
        Duty.objects.select_for_update().select_related("campaign__organizer", "responsible").get(pk=duty.pk)
    )


def _taken(campaign: Any, place: str, day: date, besides: int | None = None) -> str:
    """Why `place` on `day` is not free in `campaign` (another unit's live duty is there), or ""."""
    live = Duty.objects.filter(campaign=campaign, place=place, date=day).exclude(
        status__in=[Duty.Status.CANCELLED, Duty.Status.POSTPONED]
    )
    if besides is not None:
        live = live.exclude(pk=besides)
    clash = live.select_related("responsible").first()
    if clash is None:
        return ""
    return _("%(d)s %(p)s 已安排“%(o)s”，请另选日期。") % {
        "d": day.isoformat(),
        "p": place,
        "o": clash.responsible_label or clash.responsible.name,
    }


@transaction.atomic
def duty_file(
    *,
    by: User,
    duty: Duty,
    kind: str,
    reason: str,
    weather: str = "",
    new_date: date | None = None,
    today: date | None = None,
) -> DutyFiling:
    """报备 a cancellation or postponement. Refused on or after the duty's date: it must come first."""
    duty = _locked(duty)
    _may_act(by, duty)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if duty.status != Duty.Status.PLANNED:
        raise Refused(_("该安排已是“%(s)s”状态，不能再报备。") % {"s": duty.get_status_display()})
    if today >= duty.date:
        raise Refused(_("报备须在活动日期（%(d)s）之前提出，不能事后补报。") % {"d": duty.date.isoformat()})
    if kind not in DutyFiling.Kind.values:
        errors["kind"] = [_("请选择取消或顺延。")]
    if not reason.strip():
        errors["reason"] = [_("请填写原因，例如严重雾霾。")]
    if kind == DutyFiling.Kind.POSTPONE:
        if new_date is None:
            errors["new_date"] = [_("顺延须填写新的日期。")]
        elif new_date <= duty.date:
            errors["new_date"] = [_("顺延日期须晚于原定日期。")]
        else:
            taken = _taken(duty.campaign, duty.place, new_date, besides=duty.pk)
            if taken:
                errors["new_date"] = [taken]
    elif new_date is not None:
        errors["new_date"] = [_("取消不需要填写新日期。")]
    if errors:
        raise ValidationError(errors)
    filing = DutyFiling.objects.create(
        duty=duty, kind=kind, reason=reason.strip(), weather=weather.strip(), new_date=new_date, filed_by=by
    )
    if kind == DutyFiling.Kind.CANCEL:
        duty.status = Duty.Status.CANCELLED
    else:
        assert new_date is not None  # checked above
        duty.status, duty.postponed_to = Duty.Status.POSTPONED, new_date
        # the duty itself moves to the new day as a new planned row; the old one keeps its history and 报备
        Duty.objects.create(
            campaign=duty.campaign,
            date=new_date,
            station=duty.station,
            place=duty.place,
            content=duty.content,
            responsible=duty.responsible,
            responsible_label=duty.responsible_label,
            contact_name=duty.contact_name,
            contact_phone=duty.contact_phone,
            order=duty.order,
        )
    audit.attribute(duty, by, reason=f"报备：{filing.get_kind_display()}")
    duty.save()
    station_handoffs.tell_duty_filed(duty, filing, by)
    return filing


@transaction.atomic
def duty_done(*, by: User, duty: Duty, content: str = "") -> Duty:
    duty = _locked(duty)
    _may_act(by, duty)
    if duty.status != Duty.Status.PLANNED:
        raise Refused(_("只有计划中的安排可以标记为完成。"))
    if duty.date > timezone.localdate():
        raise Refused(_("活动日期尚未到，不能标记为完成。"))
    duty.status = Duty.Status.DONE
    if content.strip():
        duty.content = content.strip()[:300]
    audit.attribute(duty, by)
    duty.save()
    return duty


@transaction.atomic
def duty_update(
    *,
    by: User,
    duty: Duty,
    content: str | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
) -> Duty:
    """The responsible unit fills in its row: activity content and contact (附件5 的空白栏)."""
    from zhiyuan.core import phones

    duty = _locked(duty)
    _may_act(by, duty)
    if content is not None:
        duty.content = content.strip()[:300]
    if contact_name is not None:
        duty.contact_name = contact_name.strip()[:50]
    if contact_phone is not None:
        try:
            duty.contact_phone = phones.normalise_any(contact_phone) if contact_phone.strip() else ""
        except ValidationError as exc:
            raise ValidationError({"contact_phone": exc.messages}) from None
    audit.attribute(duty, by)
    duty.save()
    return duty


@transaction.atomic
def duty_create(
    *,
    by: User,
    campaign: Any,
    date: date,
    place: str,
    responsible: Organization,
    station: Any = None,
    content: str = "",
    responsible_label: str = "",
) -> Duty:
    """The organiser adds one row to the rotation by hand (a unit volunteers for an extra day, a station
    opens late): inside the campaign's period, at a station of this campaign, for a unit the organiser may
    name, never a second unit on the same place and day. The unit's 联络员 are told they are on duty."""
    access.require(by, Perm.CAMPAIGN_CHANGE, campaign.organizer)
    errors: dict[str, list[str]] = {}
    place = (place or (station.place if station is not None else "")).strip()
    if not place:
        errors["place"] = [_("请填写地点，例如 火车站。")]
    if not campaign.starts_on <= date <= campaign.ends_on:
        errors["date"] = [
            _("日期须在活动期间（%(a)s 至 %(b)s）。")
            % {"a": campaign.starts_on.isoformat(), "b": campaign.ends_on.isoformat()}
        ]
    if station is not None and station.campaign_id not in (None, campaign.pk):
        errors["station_id"] = [_("该站点不属于本活动。")]
    taken = _taken(campaign, place, date) if place else ""
    if taken:
        errors["date"] = [taken]
    if errors:
        raise ValidationError(errors)
    last = (
        Duty.objects.filter(campaign=campaign, date=date).order_by("-order").values_list("order", flat=True)
    )
    duty = Duty(
        campaign=campaign,
        date=date,
        station=station,
        place=place[:100],
        content=content.strip()[:300],
        responsible=responsible,
        responsible_label=responsible_label.strip()[:100],
        order=(last.first() or 0) + 1,
    )
    audit.attribute(duty, by, reason=_("手动添加集中服务安排"))
    duty.save()
    _tell_responsible(duty)
    return duty


def _tell_responsible(duty: Duty) -> None:
    from zhiyuan.notifications.handoffs import handoff_notify
    from zhiyuan.reporting.selectors.due import escalation_contacts, reporters

    # the unit's 联络员 fill the row; a unit without one hears through its 负责人
    people = reporters(duty.responsible_id) or escalation_contacts(duty.responsible_id)
    handoff_notify(
        event="duty.added",
        recipients=people,
        context={
            "campaign_slug": duty.campaign.slug,
            "campaign": duty.campaign.title,
            "day": duty.date.isoformat(),
            "place": duty.place,
        },
        key=f"duty:{duty.pk}:new",
    )
