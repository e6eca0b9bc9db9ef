"""Valid fictitious ID numbers and registration data for the volunteer tests."""

import re
from datetime import date

from zhiyuan.core import ids, sms


def id_number(born: date, seq: int = 123, region: str = "410105") -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + ids.check_char(body)


def last_code(mobile: str) -> str:
    sent = [m for m in sms.MemoryBackend.outbox if m.mobile == mobile]
    match = re.search(r"(\d{6})", sent[-1].text)
    assert match, sent
    return match.group(1)
