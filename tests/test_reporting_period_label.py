"""Period keys are identifiers; pages show them as words."""

from __future__ import annotations

import pytest

from zhiyuan.reporting.templatetags.reporting import period_label


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("once", "一次性"),
        ("2019-W04", "2019年第4周"),
        ("2019-01-23", "2019年1月23日"),
        ("2019-01-23-2", "2019年1月23日 第2条"),
        ("duty-17", "集中服务 #17"),
        ("something-else", "something-else"),
    ],
)
def test_period_keys_read_as_words(key: str, label: str) -> None:
    assert period_label(key) == label
