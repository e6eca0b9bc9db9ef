import pytest
from django.core.exceptions import ValidationError

from zhiyuan.core import phones


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0371-67186891", "0371-67186891"),
        ("037167186891", "0371-67186891"),
        ("+86 371 6718 6891", "0371-67186891"),
        ("010-12345678", "010-12345678"),
        ("0755 8888 8888", "0755-88888888"),
    ],
)
def test_landlines_are_normalised_with_their_area_code(raw, expected):
    assert phones.normalise_landline(raw) == expected


@pytest.mark.parametrize("raw", ["67186891", "13812345678", "0371-123", "电话", ""])
def test_landline_without_area_code_or_not_a_landline_is_refused(raw):
    with pytest.raises(ValidationError):
        phones.normalise_landline(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678")]
)
def test_mobiles_are_normalised(raw, expected):
    assert phones.normalise_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["12345678901", "1381234567", "0371-67186891", "138123456789"])
def test_bad_mobiles_are_refused(raw):
    with pytest.raises(ValidationError):
        phones.normalise_mobile(raw)


def test_mobile_mask():
    assert phones.mask_mobile("13812345678") == "138****5678"
