"""Public codes people write down or read out on the phone: short, random, without look-alike characters."""

from __future__ import annotations

import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
LENGTH = 8  # 32^8 ≈ 10^12: guessing one, even with the phone's last four digits, is hopeless under the limit


def new_code(taken: Callable[[str], bool]) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not taken(code):
            return code


def normalise(raw: str) -> str:
    return "".join(raw.split()).upper().replace("-", "")
