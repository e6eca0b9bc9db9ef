"""Writes for training (培训): courses as 办法 Art. 8 records them, their materials and sessions, registration,
bulk attendance, completion, and the organisations a course is required for.

Managing a course needs 管理组织 or 管理志愿者 at its 举办单位; a volunteer registers only themself.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import (
    TrainingAttendance,
    TrainingCompletion,
    TrainingCourse,
    TrainingMaterial,
    TrainingSession,
    Volunteer,
)
from zhiyuan.people.selectors.training import can_manage

MAX_HOURS = Decimal(100)
MAX_MATERIAL_BYTES = 50 * 1024 * 1024
COURSE_FIELDS = ("name", "content", "hours", "date", "organizer")
# An ftyp box also opens HEIC/AVIF photos and QuickTime files; only these major brands are MP4 video.
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}

Errors = dict[str, list[str]]


def _require_manage(by: User, organization: Organization) -> None:
    if not can_manage(by, organization):
        raise access.PermissionDenied()


def _hours(value: Any, errors: Errors) -> Decimal | None:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        hours = Decimal("NaN")
    if not hours.is_finite():
        errors.setdefault("hours", []).append(_("请填写学习时长（小时）。"))
    elif hours <= 0 or hours > MAX_HOURS:
        errors.setdefault("hours", []).append(_("学习时长须大于0且不超过100小时。"))
    elif hours != hours.quantize(Decimal("0.1")):
        errors.setdefault("hours", []).append(_("学习时长最多保留一位小数。"))
    else:
        return hours.quantize(Decimal("0.1"))
    return None


def _course_clean(by: User, values: dict[str, Any], errors: Errors) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    required = {"name": _("请填写培训名称。"), "content": _("请填写主要内容。"), "date": _("请填写日期。")}
    for field, value in values.items():
        if field not in COURSE_FIELDS:
            errors.setdefault(field, []).append(_("不能修改此字段。"))
        elif field in ("name", "content"):
            clean[field] = (value or "").strip()
            if not clean[field]:
                errors.setdefault(field, []).append(required[field])
            elif field == "name" and len(clean[field]) > 120:
                errors.setdefault(field, []).append(_("培训名称不能超过120个字。"))
        elif field == "hours":
            clean[field] = _hours(value, errors)
        elif field == "date":
            clean[field] = value
            if value is None:
                errors.setdefault(field, []).append(required[field])
        elif field == "organizer":
            clean[field] = value
            if value is None:
                errors.setdefault(field, []).append(_("请选择举办单位。"))
            elif not access.can(by, Perm.ORG_VIEW, value):
                errors.setdefault(field, []).append(_("所选组织不存在。"))
            else:
                _require_manage(by, value)
    return clean


def _check_required_for(
    by: User, organizations: Iterable[Organization], errors: Errors
) -> list[Organization]:
    """A course may be made required only where its manager also manages; an organisation they cannot see
    is reported as not existing."""
    found = list(dict.fromkeys(organizations))
    for org in found:
        if not access.can(by, Perm.ORG_VIEW, org):
            errors.setdefault("required_for", []).append(_("所选组织不存在。"))
        elif not can_manage(by, org):
            raise access.PermissionDenied(_("您无权为“%(name)s”设置必修培训。") % {"name": org.name})
    return found


@transaction.atomic
def course_create(
    *,
    by: User,
    organizer: Organization,
    name: str,
    content: str,
    hours: Decimal,
    date: date | None,
    required_for: Iterable[Organization] = (),
) -> TrainingCourse:
    _require_manage(by, organizer)
    errors: Errors = {}
    clean = _course_clean(by, {"name": name, "content": content, "hours": hours, "date": date}, errors)
    orgs = _check_required_for(by, required_for, errors)
    if errors:
        raise ValidationError(errors)
    course = TrainingCourse(organizer=organizer, **clean)
    audit.attribute(course, by)
    course.save()
    course.required_for.set(orgs)
    return course


@transaction.atomic
def course_update(
    *, by: User, course: TrainingCourse, required_for: Iterable[Organization] | None = None, **changes: Any
) -> TrainingCourse:
    """Change the record; `required_for`, when given, replaces the organisations the course is required for."""
    _require_manage(by, course.organizer)
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    errors: Errors = {}
    clean = _course_clean(by, changes, errors)
    wanted = list(dict.fromkeys(required_for or ()))
    if required_for is not None:
        current = set(course.required_for.values_list("pk", flat=True))
        _check_required_for(by, [o for o in wanted if o.pk not in current], errors)
    if errors:
        raise ValidationError(errors)
    for field, value in clean.items():
        setattr(course, field, value)
    audit.attribute(course, by)
    course.save()
    if required_for is not None:
        course.required_for.set(wanted)
    return course


@transaction.atomic
def course_require_for(
    *, by: User, course: TrainingCourse, organizations: Iterable[Organization]
) -> TrainingCourse:
    """Volunteers of these organisations, and of those below them, must complete the course."""
    _require_manage(by, course.organizer)
    errors: Errors = {}
    orgs = _check_required_for(by, organizations, errors)
    if not orgs:
        errors.setdefault("required_for", []).append(_("请选择组织。"))
    if errors:
        raise ValidationError(errors)
    course.required_for.add(*orgs)
    return course


@transaction.atomic
def course_unrequire_for(
    *, by: User, course: TrainingCourse, organizations: Iterable[Organization]
) -> TrainingCourse:
    _require_manage(by, course.organizer)
    course.required_for.remove(*organizations)
    return course


def _material_kind(file: UploadedFile, errors: Errors) -> str | None:
    """The file's extension, judged by its content (its name and declared type are the uploader's word)."""
    if (file.size or 0) > MAX_MATERIAL_BYTES:
        errors.setdefault("file", []).append(_("文件不能超过50 MB。"))
        return None
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return ".mp4"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            names = []
        file.seek(0)
        if any(name.startswith("word/") for name in names):
            return ".docx"
        if any(name.startswith("ppt/") for name in names):
            return ".pptx"
    errors.setdefault("file", []).append(
        _("只能上传 PDF、Word（DOCX）、PowerPoint（PPTX）文件或 MP4 视频，该文件的内容不是这些格式。")
    )
    return None


@transaction.atomic
def material_add(
    *, by: User, course: TrainingCourse, title: str, file: UploadedFile | None = None, url: str = ""
) -> TrainingMaterial:
    """A file (e.g. the campaign's 《培训手册》) or a link to a video or online document."""
    _require_manage(by, course.organizer)
    errors: Errors = {}
    title, url = (title or "").strip(), (url or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("请填写资料标题。"))
    elif len(title) > 120:
        errors.setdefault("title", []).append(_("资料标题不能超过120个字。"))
    extension = None
    if file is not None and url:
        errors.setdefault("url", []).append(_("上传文件和填写链接只能选一项。"))
    elif file is None and not url:
        errors.setdefault("file", []).append(_("请上传文件或填写链接。"))
    elif file is not None:
        extension = _material_kind(file, errors)
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.setdefault("url", []).append(_("请填写以 http:// 或 https:// 开头的有效链接。"))
        if len(url) > 200:
            errors.setdefault("url", []).append(_("链接不能超过200个字符。"))
    if errors:
        raise ValidationError(errors)
    material = TrainingMaterial(course=course, title=title, url=url)
    if file is not None and extension:
        # a random name: the uploader's file name never reaches the file system
        material.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
    try:
        material.save()
    except Exception:
        if material.file.name:
            material.file.storage.delete(material.file.name)
        raise
    return material


@transaction.atomic
def material_remove(*, by: User, material: TrainingMaterial) -> None:
    _require_manage(by, material.course.organizer)
    name, storage = material.file.name, material.file.storage
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _aware(value: datetime | None) -> datetime | None:
    # A time without a zone is Beijing wall-clock time: "9:00 at 郑州站" means 09:00 Asia/Shanghai.
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


@transaction.atomic
def session_create(
    *,
    by: User,
    course: TrainingCourse,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str,
    capacity: int | None,
) -> TrainingSession:
    _require_manage(by, course.organizer)
    errors: Errors = {}
    starts_at, ends_at, place = _aware(starts_at), _aware(ends_at), (place or "").strip()
    if starts_at is None:
        errors.setdefault("starts_at", []).append(_("请填写开始时间。"))
    if ends_at is None:
        errors.setdefault("ends_at", []).append(_("请填写结束时间。"))
    elif starts_at is not None and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("结束时间须晚于开始时间。"))
    if not place:
        errors.setdefault("place", []).append(_("请填写地点。"))
    elif len(place) > 200:
        errors.setdefault("place", []).append(_("地点不能超过200个字。"))
    if capacity is None or capacity < 1:
        errors.setdefault("capacity", []).append(_("名额至少为1人。"))
    elif capacity > 100_000:
        errors.setdefault("capacity", []).append(_("名额不能超过100000人。"))
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and ends_at is not None and capacity is not None
    session = TrainingSession(
        course=course, starts_at=starts_at, ends_at=ends_at, place=place, capacity=capacity
    )
    audit.attribute(session, by)
    session.save()
    return session


@transaction.atomic
def session_register(*, by: User, session: TrainingSession, volunteer: Volunteer) -> TrainingAttendance:
    """A volunteer takes a place at a session, if one is left."""
    if by.pk != volunteer.user_id:
        raise access.PermissionDenied(_("只能为自己报名培训。"))
    # Locking the session serialises racing registrations, so the last place goes to exactly one of them.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if volunteer.status != Volunteer.Status.ACTIVE:
        raise Refused(_("志愿者资料已注销，不能报名。"))
    if session.starts_at <= timezone.now():
        raise Refused(_("本场培训已开始，不能再报名。"))
    if TrainingAttendance.objects.filter(session=session, volunteer=volunteer).exists():
        raise Refused(_("您已报名本场培训。"))
    if TrainingAttendance.objects.filter(session=session).count() >= session.capacity:
        raise Refused(_("本场培训名额已满。"))
    return TrainingAttendance.objects.create(session=session, volunteer=volunteer)


@transaction.atomic
def attendance_mark_bulk(
    *, by: User, session: TrainingSession, attended: Iterable[int], absent: Iterable[int]
) -> None:
    """Mark who came and who did not, in one go. Attending completes the course (on the session's date),
    once: marking again changes nothing, and a volunteer corrected to absent loses that session's completion."""
    session = (
        TrainingSession.objects.select_for_update().select_related("course__organizer").get(pk=session.pk)
    )
    _require_manage(by, session.course.organizer)
    came, missed = set(attended), set(absent)
    errors: Errors = {}
    if came & missed:
        errors.setdefault("absent", []).append(_("同一志愿者不能同时标记为出席和缺席。"))
    registered = set(
        TrainingAttendance.objects.filter(session=session, volunteer_id__in=came | missed).values_list(
            "volunteer_id", flat=True
        )
    )
    for field, ids in (("attended", came), ("absent", missed)):
        if ids - registered:
            errors.setdefault(field, []).append(
                _("有%(n)d名志愿者未报名本场培训。") % {"n": len(ids - registered)}
            )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for status, ids in (
        (TrainingAttendance.Status.ATTENDED, came),
        (TrainingAttendance.Status.ABSENT, missed),
    ):
        if ids:
            TrainingAttendance.objects.filter(session=session, volunteer_id__in=ids).update(
                status=status, marked_by=by, updated_at=now
            )
    day = timezone.localdate(session.starts_at)
    # already completed (here, at another session, or elsewhere): that record stands
    done = set(
        TrainingCompletion.objects.filter(course_id=session.course_id, volunteer_id__in=came).values_list(
            "volunteer_id", flat=True
        )
    )
    # with history, so the audit trail shows who recorded each completion
    bulk_create_with_history(
        [
            TrainingCompletion(
                course_id=session.course_id,
                volunteer_id=pk,
                completed_on=day,
                session=session,
                recorded_by=by,
            )
            for pk in sorted(came - done)
        ],
        TrainingCompletion,
        default_user=by,
    )
    for completion in TrainingCompletion.objects.filter(session=session, volunteer_id__in=missed):
        audit.attribute(completion, by)
        completion.delete()  # one by one, so each removal is in the audit trail too


@transaction.atomic
def completion_record(
    *, by: User, course: TrainingCourse, volunteer: Volunteer, completed_on: date | None
) -> TrainingCompletion:
    """Training the volunteer completed elsewhere (e.g. at their employer), recorded by the course's manager."""
    _require_manage(by, course.organizer)
    errors: Errors = {}
    if completed_on is None:
        errors.setdefault("completed_on", []).append(_("请填写完成日期。"))
    elif completed_on > timezone.localdate():
        errors.setdefault("completed_on", []).append(_("完成日期不能晚于今天。"))
    if TrainingCompletion.objects.filter(course=course, volunteer=volunteer).exists():
        errors.setdefault("volunteer", []).append(_("该志愿者已有本培训的完成记录。"))
    if errors:
        raise ValidationError(errors)
    assert completed_on is not None
    return TrainingCompletion.objects.create(
        course=course, volunteer=volunteer, completed_on=completed_on, recorded_by=by
    )
