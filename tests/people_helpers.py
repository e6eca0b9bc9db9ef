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


def bulk_volunteers(home, count: int, start: int = 0, prefix: str = "批量"):
    """`count` volunteers at `home` in a handful of queries, for list-size tests."""
    from datetime import date as _date

    from zhiyuan.core import crypto
    from zhiyuan.core.models import User
    from zhiyuan.core.search import search_text
    from zhiyuan.people.models import Volunteer

    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{start + i}",
                full_name=f"{prefix}某{start + i}",
                mobile=f"1370{start + i:07d}",
                search=search_text(f"{prefix}某{start + i}"),
            )
            for i in range(count)
        ]
    )
    volunteers = []
    for i, user in enumerate(users):
        number = id_number(
            _date(1980, 1, 1) + (i + start) * (_date(1980, 1, 2) - _date(1980, 1, 1)), seq=(start + i) % 1000
        )
        volunteers.append(
            Volunteer(
                user=user,
                number=f"ZYB{start + i:011d}",
                gender="male",
                birth_date=_date(1980, 1, 1),
                id_cipher=crypto.encrypt(number),
                id_digest=crypto.digest(f"resident:{number}:{start + i}"),
                id_masked=ids.mask(number),
                home_organization=home,
            )
        )
    return Volunteer.objects.bulk_create(volunteers)
