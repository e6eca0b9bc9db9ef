"""A volunteer's rights over their data (个人信息保护法 Arts. 45, 47): a copy of everything, and deletion,
done by anonymising the record so that service hours stay attached to an anonymous volunteer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.core.spreadsheets import new_workbook, safe_cell
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import DeletionRequest, PhoneVerification, Volunteer

ANONYMOUS_NAME = "已注销志愿者"


def volunteer_data(*, volunteer: Volunteer) -> dict[str, Any]:
    """Everything zhiyuan holds about the volunteer, including who looked at their full ID number."""
    user = volunteer.user
    return {
        "profile": {
            "志愿者编号": volunteer.number,
            "姓名": user.full_name,
            "手机号码": user.mobile,
            "性别": volunteer.get_gender_display(),
            "出生日期": volunteer.birth_date.isoformat(),
            "证件类型": volunteer.get_id_type_display(),
            "证件号码": volunteer.reveal_id_number(),
            "所属区域": volunteer.home_organization.name,
            "居住区域": volunteer.residence,
            "政治面貌": volunteer.get_political_status_display(),
            "专业技能": [s.name for s in volunteer.skills.all()],
            "服务类别": [c.name for c in volunteer.service_categories.all()],
            "可服务时间": volunteer.availability,
            "紧急联系人": volunteer.emergency_name,
            "紧急联系人电话": volunteer.emergency_phone,
            "监护人": volunteer.guardian_name,
            "监护人电话": volunteer.guardian_phone,
            "注册时间": volunteer.created_at.isoformat(),
        },
        "consents": [
            {
                "类型": c.get_kind_display(),
                "版本": c.version,
                "时间": c.given_at.isoformat(),
                "说明": c.evidence,
                "撤回时间": c.withdrawn_at.isoformat() if c.withdrawn_at else "",
            }
            for c in volunteer.consents.order_by("given_at")
        ],
        "memberships": [
            {"组织": m.organization.name, "角色": m.get_role_display(), "职务": m.title}
            for m in user.memberships.select_related("organization")
        ],
        "applications": [
            {"招募": a.recruitment.title, "状态": a.get_status_display(), "时间": a.created_at.isoformat()}
            for a in volunteer.applications.select_related("recruitment")
        ],
        "training": [
            {"培训": t.course.name, "完成日期": t.completed_on.isoformat()}
            for t in volunteer.training_completions.select_related("course")
        ],
        "id_reveals": [
            {"查看人": r.by.display_name, "时间": r.created_at.isoformat(), "原因": r.reason}
            for r in volunteer.id_reveals.select_related("by").order_by("created_at")
        ],
    }


def volunteer_data_xlsx(*, volunteer: Volunteer) -> bytes:
    data = volunteer_data(volunteer=volunteer)
    buffer, book = new_workbook()
    profile = book.add_worksheet("个人信息")
    for row, (key, value) in enumerate(data["profile"].items()):
        profile.write_string(row, 0, key)
        profile.write_string(row, 1, safe_cell("、".join(value) if isinstance(value, list) else str(value)))
    profile.set_column(0, 1, 24)
    titles = {
        "consents": "同意记录",
        "memberships": "队伍与角色",
        "applications": "报名",
        "training": "培训",
        "id_reveals": "证件号码查看记录",
    }
    for key, title in titles.items():
        sheet = book.add_worksheet(title)
        sheet.repeat_rows(0, 0)  # a long list prints its column names on every page
        for row, item in enumerate(data[key], start=1):
            for col, (header, value) in enumerate(item.items()):
                if row == 1:
                    sheet.write_string(0, col, header)
                sheet.write_string(row, col, safe_cell(str(value)))
    book.close()
    return buffer.getvalue()


@transaction.atomic
def deletion_request_create(*, volunteer: Volunteer, reason: str = "") -> DeletionRequest:
    if volunteer.status == Volunteer.Status.ANONYMISED:
        raise Refused(_("您的信息已匿名化处理。"))
    if volunteer.deletion_requests.filter(status=DeletionRequest.Status.PENDING).exists():
        raise Refused(_("您已提交删除申请，正在处理中。"))
    request = DeletionRequest.objects.create(volunteer=volunteer, reason=reason.strip()[:200])
    volunteer.status = Volunteer.Status.DELETION_REQUESTED
    audit.attribute(volunteer, volunteer.user)
    volunteer.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def deletion_request_process(
    *, by: User, request: DeletionRequest, approve: bool, note: str = ""
) -> DeletionRequest:
    request = (
        DeletionRequest.objects.select_for_update()
        .select_related("volunteer__user", "volunteer__home_organization")
        .get(pk=request.pk)
    )
    volunteer = request.volunteer
    access.require(by, Perm.VOLUNTEER_CHANGE, volunteer.home_organization)
    if request.status != DeletionRequest.Status.PENDING:
        raise Refused(_("该申请已处理。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不予处理须说明理由（例如法律规定的保存期限未满）。")})
    request.status = DeletionRequest.Status.DONE if approve else DeletionRequest.Status.REFUSED
    request.processed_by, request.processed_at, request.note = by, timezone.now(), note.strip()[:200]
    request.save()
    if approve:
        _anonymise(volunteer, by=by)
    else:
        volunteer.status = Volunteer.Status.ACTIVE
        volunteer.save(update_fields=["status", "updated_at"])
    return request


def _anonymise(volunteer: Volunteer, *, by: User) -> None:
    """Strip everything that identifies the person; keep the row (and its id) for the hour ledger, with
    gender and birth year for aggregate statistics. Earlier versions in the audit trail are scrubbed too."""
    user = volunteer.user
    old_mobile = user.mobile
    user.full_name, user.mobile, user.email = ANONYMOUS_NAME, "", ""
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    audit.attribute(user, by, reason="anonymised")
    user.save()
    user.history.update(
        full_name=ANONYMOUS_NAME,
        mobile="",
        email="",
        username=f"deleted-{user.pk}",
        first_name="",
        last_name="",
    )
    volunteer.id_cipher = ""
    volunteer.id_digest = f"deleted-{volunteer.pk}"
    volunteer.id_masked = ""
    volunteer.birth_date = date(volunteer.birth_date.year, 1, 1)
    for field in ("residence", "emergency_name", "emergency_phone", "guardian_name", "guardian_phone"):
        setattr(volunteer, field, "")
    volunteer.availability = []
    volunteer.status = Volunteer.Status.ANONYMISED
    audit.attribute(volunteer, by, reason="anonymised")
    volunteer.save()
    volunteer.history.update(
        residence="",
        emergency_name="",
        emergency_phone="",
        guardian_name="",
        guardian_phone="",
        id_masked="",
        availability=[],
        birth_date=volunteer.birth_date,
    )
    volunteer.skills.clear()
    volunteer.service_categories.clear()
    user.unit_contacts.update(user=None)
    PhoneVerification.objects.filter(mobile=old_mobile).delete()
    # uploaded roster files may name the person in clear text: none may outlive its import
    from zhiyuan.people.services.roster_import import roster_files_purge

    transaction.on_commit(roster_files_purge)
