from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zhiyuan.core import ids

# A well-known valid sample from GB 11643's worked example family (check char computed by the standard).
VALID = "11010519491231002X"


def test_parses_birth_date_sex_and_region():
    parsed = ids.parse(VALID)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.is_male is False
    assert parsed.region_code == "110105"


def test_lowercase_x_and_spaces_are_accepted():
    assert ids.parse("110105 19491231 002x").value == VALID


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("11010519491231002", "format"),
        ("1101051949123100A2", "format"),
        ("110105194902300021", "birth_date"),  # 30 February
        ("110105189912310021", "birth_date"),  # before 1900
        ("110105199912310029", "check_digit"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as exc:
        ids.parse(raw)
    assert exc.value.code == code


def test_future_birth_date_is_implausible():
    with pytest.raises(ValidationError):
        ids.parse("410105" + "20990101" + "001" + ids.check_char("41010520990101001"))


def test_masked_display_keeps_prefix_and_last_four():
    assert ids.mask(VALID) == "1101**********002X"
    assert ids.parse(VALID).masked == "1101**********002X"


def test_age_counts_birthdays():
    parsed = ids.parse(VALID)
    assert parsed.age_on(date(2019, 12, 30)) == 69
    assert parsed.age_on(date(2019, 12, 31)) == 70


@given(
    region=st.integers(110000, 659999),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    seq=st.integers(0, 999),
)
def test_any_number_with_its_own_check_char_is_valid_and_any_other_char_is_not(region, born, seq):
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    good = body + ids.check_char(body)
    assert ids.parse(good).birth_date == born
    for wrong in set("0123456789X") - {good[-1]}:
        assert not ids.is_valid(body + wrong)
