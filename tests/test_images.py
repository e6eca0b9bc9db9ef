"""Photos from phones: judged by their content, re-encoded as JPEG without EXIF, capped and thumbnailed."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhiyuan.campaigns.models import Incident
from zhiyuan.core import images

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def png_with_gps(size=(64, 48), colour=(200, 30, 30)) -> bytes:
    """A photo as a phone might share it: a PNG whose EXIF says where it was taken (郑州火车站)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (34.0, 44.0, 47.0), 3: "E", 4: (113.0, 39.0, 27.0)})
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG", exif=exif.tobytes())
    return out.getvalue()


def jpeg(size=(40, 20), orientation: int | None = None, colour=(20, 120, 200)) -> bytes:
    out = BytesIO()
    options = {}
    if orientation:
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        options["exif"] = exif.tobytes()
    Image.new("RGB", size, colour).save(out, "JPEG", **options)
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg", **attrs) -> SimpleUploadedFile:
    file = SimpleUploadedFile(name, content, content_type="image/jpeg")
    for key, value in attrs.items():
        setattr(file, key, value)
    return file


def prepared(content: bytes, **attrs):
    errors: dict[str, list[str]] = {}
    photo = images.prepare(upload(content, **attrs), errors)
    return photo, errors


def test_a_png_with_gps_is_re_encoded_as_a_jpeg_without_exif():
    # given a PNG that carries its GPS position in EXIF
    original = png_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(GPS_IFD)
    # when it is prepared for storage
    photo, errors = prepared(original, name="现场.png")
    # then what is kept is a JPEG of the same picture, and no EXIF at all
    assert not errors and photo is not None
    stored = Image.open(BytesIO(photo.image))
    assert stored.format == "JPEG" and stored.size == (64, 48)
    assert not stored.getexif() and b"Exif" not in photo.image and b"PhoneMaker" not in photo.image
    red, green, blue = stored.getpixel((10, 10))
    assert red > 180 and green < 60 and blue < 60
    thumb = Image.open(BytesIO(photo.thumbnail))
    assert thumb.format == "JPEG" and not thumb.getexif()


def test_a_text_file_named_jpg_is_refused_in_chinese():
    photo, errors = prepared(b"this is not a picture, just text\n" * 20, name="photo.jpg")
    assert photo is None
    assert errors == {"photo": ["只能上传 JPEG、PNG 或 WebP 格式的照片，该文件的内容不是图片。"]}


def test_an_oversize_photo_is_refused_before_it_is_decoded():
    photo, errors = prepared(jpeg(), size=images.MAX_BYTES + 1)
    assert photo is None and errors == {"photo": ["照片不能超过10 MB。"]}


@pytest.mark.parametrize(
    "content",
    [jpeg()[:200], b"%PDF-1.7\n" + b"0" * 100, b"GIF89a" + b"\x00" * 10],
    ids=["truncated jpeg", "pdf", "broken gif"],
)
def test_broken_or_foreign_files_are_refused(content):
    photo, errors = prepared(content)
    assert photo is None and errors["photo"][0].startswith("只能上传 JPEG、PNG 或 WebP")


def test_a_decompression_bomb_is_refused_without_decoding_it():
    out = BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # a few KB that would decode to 64 million pixels
    photo, errors = prepared(out.getvalue(), name="bomb.png")
    assert photo is None and errors == {"photo": ["照片像素过大（最多6000万像素）。"]}


def test_orientation_is_applied_to_the_pixels_and_big_photos_are_scaled_down():
    # a portrait photo stored sideways with "rotate 90°" in its EXIF comes out upright, without the tag
    photo, _ = prepared(jpeg(size=(40, 20), orientation=6))
    upright = Image.open(BytesIO(photo.image))
    assert upright.size == (20, 40) and ORIENTATION not in upright.getexif()
    big, _ = prepared(jpeg(size=(4000, 3000)))
    assert Image.open(BytesIO(big.image)).size == (2560, 1920)
    assert max(Image.open(BytesIO(big.thumbnail)).size) == images.THUMB_SIDE


def test_transparency_becomes_white_not_black():
    out = BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    photo, _ = prepared(out.getvalue(), name="logo.png")
    assert Image.open(BytesIO(photo.image)).getpixel((5, 5)) >= (250, 250, 250)


def test_attach_stores_a_random_name_with_its_thumbnail_and_discard_removes_both(tmp_path):
    storage = FileSystemStorage(location=str(tmp_path))
    incident = Incident()
    incident.photo.storage = storage
    photo, _ = prepared(png_with_gps(), name="张三的身份证.png")
    images.attach(incident.photo, photo)
    name = incident.photo.name
    assert name.startswith("incidents/") and name.endswith(".jpg") and "张三" not in name
    assert len(Path(name).stem) == 32
    assert (tmp_path / name).read_bytes() == photo.image
    assert (tmp_path / images.thumbnail_name(name)).read_bytes() == photo.thumbnail
    images.discard(storage, name)
    assert not list(tmp_path.rglob("*.jpg"))


def test_no_file_is_no_photo_and_no_error():
    errors: dict[str, list[str]] = {}
    assert images.prepare(None, errors) is None and errors == {}
