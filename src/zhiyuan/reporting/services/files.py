"""Photos and short videos on a report. Photos go through `core.images` (checked, re-encoded, EXIF gone);
a video is kept only when its first bytes say MP4, MOV or WebM, and only up to the configured size.
Every file is stored under a random name: the uploader's file name is their word, not ours."""

from __future__ import annotations

import uuid
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.core import images
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.reporting.models import Submission, SubmissionFile
from zhiyuan.reporting.services.permissions import require_reporter

MAX_FILES = 30
_MOV_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
VIDEO_TYPES = {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}


def video_max_bytes() -> int:
    return int(getattr(settings, "ZHIYUAN_REPORT_VIDEO_MAX_BYTES", 50 * 1024 * 1024))


def sniff_video(head: bytes) -> str | None:
    """ "mp4", "mov" or "webm" from a file's first bytes, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if len(head) >= 8 and head[4:8] in _MOV_ATOMS:
        return "mov"
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:
        return "webm"
    return None


def _read_head(file: IO[bytes]) -> bytes:
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    return head


def _is_video_claim(file: Any) -> bool:
    declared = (getattr(file, "content_type", "") or "").lower()
    name = (getattr(file, "name", "") or "").lower()
    return declared.startswith("video/") or name.endswith((".mp4", ".mov", ".webm", ".m4v"))


@transaction.atomic
def submission_file_add(
    *, by: User, submission: Submission, upload: Any, caption: str = ""
) -> SubmissionFile:
    submission = Submission.objects.select_for_update().select_related("organization").get(pk=submission.pk)
    require_reporter(by, submission.organization)
    if not submission.editable:
        raise Refused(_("该上报已提交或已采用，不能再添加附件。"))
    if submission.files.count() >= MAX_FILES:
        raise Refused(_("每份上报最多 %(n)d 个附件。") % {"n": MAX_FILES})
    errors: dict[str, list[str]] = {}
    if len(caption) > 200:
        errors["caption"] = [_("说明最多 200 字。")]
    size = getattr(upload, "size", 0) or 0
    kind = sniff_video(_read_head(upload))
    row = SubmissionFile(submission=submission, caption=caption.strip(), uploaded_by=by)
    if kind:
        if size > video_max_bytes():
            errors.setdefault("file", []).append(
                _("视频不能超过 %(mb)d MB。") % {"mb": video_max_bytes() // (1024 * 1024)}
            )
        if errors:
            raise ValidationError(errors)
        upload.seek(0)
        row.kind = SubmissionFile.Kind.VIDEO
        row.content_type = VIDEO_TYPES[kind]
        row.size = size
        row.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(upload.read()), save=False)
    else:
        if _is_video_claim(upload):
            errors.setdefault("file", []).append(
                _("只能上传 MP4、MOV 或 WebM 格式的视频，该文件的内容不是视频。")
            )
            raise ValidationError(errors)
        photo = images.prepare(upload, errors, field="file")
        if errors or photo is None:
            raise ValidationError(errors or {"file": [_("请选择文件。")]})
        row.kind = SubmissionFile.Kind.PHOTO
        row.content_type = "image/jpeg"
        row.size = len(photo.image)
        images.attach(row.file, photo)
    stored = row.file.name or ""
    storage = row.file.storage
    try:
        row.save()
    except Exception:
        _discard(storage, stored, row.kind)
        raise
    return row


def _discard(storage: Any, name: str, kind: str) -> None:
    if kind == SubmissionFile.Kind.PHOTO:
        images.discard(storage, name)
    elif name:
        storage.delete(name)


@transaction.atomic
def submission_file_remove(*, by: User, file: SubmissionFile) -> None:
    submission = (
        Submission.objects.select_for_update().select_related("organization").get(pk=file.submission_id)
    )
    require_reporter(by, submission.organization)
    if not submission.editable:
        raise Refused(_("该上报已提交或已采用，不能再删除附件。"))
    name, kind, storage = file.file.name or "", file.kind, file.file.storage
    file.delete()
    transaction.on_commit(lambda: _discard(storage, name, kind))


def copy_photo(
    *, by: User, submission: Submission, field: Any, caption: str, source: str
) -> SubmissionFile | None:
    """A photo already checked elsewhere (an incident's) copied onto the draft, re-encoded once more."""
    name = field.name or ""
    if not name or not field.storage.exists(name):
        return None
    errors: dict[str, list[str]] = {}
    with field.storage.open(name, "rb") as fh:
        photo = images.prepare(ContentFile(fh.read(), name="photo"), errors, field="file")
    if photo is None:
        return None
    row = SubmissionFile(
        submission=submission,
        kind=SubmissionFile.Kind.PHOTO,
        content_type="image/jpeg",
        size=len(photo.image),
        caption=caption[:200],
        source=source,
        uploaded_by=by,
    )
    images.attach(row.file, photo)
    row.save()
    return row
