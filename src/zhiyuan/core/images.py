"""Photos from phones (incident photos, 六有一落实 evidence, activity pictures): checked by content,
re-encoded, stripped of metadata, size-capped and thumbnailed.

An upload is whatever bytes the client sent; its name and declared type are the uploader's word. A photo is
kept only if Pillow decodes it as a format phones and cameras produce, and what is stored is a fresh JPEG
encoded from its pixels: EXIF (GPS position, device serial, when it was taken), comments and anything
appended to the file do not survive. The EXIF orientation is applied to the pixels first, so a portrait
photo stays upright without the tag.

Services call `prepare` while collecting their field errors (nothing is written), `attach` once the whole
request is valid, and `discard` after the row that owned the photo is gone. The thumbnail lives beside the
image as `<name>.thumb.jpg`, so a model needs no second field for it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# A 48 MP phone photo passes; a small file that decodes to gigapixels (a decompression bomb) does not.
MAX_PIXELS = 60_000_000
MAX_SIDE = 2560  # enough to read a sign or a 台账 page; a full-size original is not needed
THUMB_SIDE = 320
QUALITY = 85
# MPO is how Pillow names the JPEGs some phones write with a second (depth or preview) frame.
FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP"}

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class Photo:
    """A checked photo, encoded and ready to store."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _not_a_photo() -> str:
    return _("只能上传 JPEG、PNG 或 WebP 格式的照片，该文件的内容不是图片。")


def _flatten(img: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a transparent PNG should not turn black."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return img.convert("RGB")


def _jpeg(img: Image.Image, icc_profile: Any) -> bytes:
    out = BytesIO()
    # No `exif=`: Pillow writes no EXIF unless asked. The colour profile is kept (it holds no personal
    # data, and without it a wide-gamut phone photo looks washed out).
    options: dict[str, Any] = {"quality": QUALITY, "optimize": True}
    if icc_profile:
        options["icc_profile"] = icc_profile
    img.save(out, "JPEG", **options)
    return out.getvalue()


def encode(source: IO[bytes]) -> Photo:
    """Decode, check and re-encode. Raises ValueError with a Chinese message when it is not a usable photo."""
    source.seek(0)
    try:
        with Image.open(source) as probe:
            if probe.format not in FORMATS:
                raise ValueError(_not_a_photo())
            if probe.width * probe.height > MAX_PIXELS:
                raise ValueError(_("照片像素过大（最多6000万像素）。"))
            probe.verify()  # a truncated or corrupt file fails here, before any pixels are decoded
        source.seek(0)
        with Image.open(source) as img:
            img.load()
            icc = img.info.get("icc_profile")
            upright = ImageOps.exif_transpose(img) or img
            flat = _flatten(upright)
    except ValueError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, EOFError):
        raise ValueError(_not_a_photo()) from None
    finally:
        source.seek(0)
    flat.thumbnail((MAX_SIDE, MAX_SIDE))
    thumb = flat.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return Photo(_jpeg(flat, icc), _jpeg(thumb, icc), flat.width, flat.height)


def prepare(file: Any, errors: Errors, field: str = "photo") -> Photo | None:
    """The photo ready to store, or None with the reason added to `errors[field]`. None for no file."""
    if file is None:
        return None
    size = getattr(file, "size", None) or 0
    if size > MAX_BYTES:
        errors.setdefault(field, []).append(_("照片不能超过10 MB。"))
        return None
    try:
        return encode(file)
    except ValueError as exc:
        errors.setdefault(field, []).append(str(exc))
        return None


def thumbnail_name(name: str) -> str:
    return f"{name.removesuffix('.jpg')}.thumb.jpg"


def attach(field: FieldFile, photo: Photo) -> None:
    """Store the photo under a random name in the field's `upload_to`, and its thumbnail beside it.
    The model instance is not saved: the caller does that (and calls `discard` if that fails)."""
    field.save(f"{uuid.uuid4().hex}.jpg", ContentFile(photo.image), save=False)
    field.storage.save(thumbnail_name(field.name or ""), ContentFile(photo.thumbnail))


def discard(storage: Storage, name: str) -> None:
    """Delete a stored photo and its thumbnail; call from `transaction.on_commit` once its row is gone."""
    if name:
        storage.delete(name)
        storage.delete(thumbnail_name(name))


def serve(field: FieldFile, thumb: bool = False) -> FileResponse:
    """The stored photo, or its thumbnail, as a response. Photos are not published under MEDIA_URL: a view
    finds the owning row through the user's scope first, so only those who see it get the picture."""
    name = field.name or ""
    if name and thumb:
        name = thumbnail_name(name)
    if not name or not field.storage.exists(name):
        raise Http404(_("未找到。"))
    response = FileResponse(field.storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
