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


ROSTER_HEADERS = [
    "姓名",
    "手机号码",
    "证件类型",
    "证件号码",
    "性别",
    "出生日期",
    "所属区域",
    "专业技能",
    "队伍",
    "角色",
    "职务",
]


def roster_xlsx(path, rows: list[list], headers: list[str] | None = None) -> None:
    """Write a roster file the way a unit would fill in the template."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    for col, header in enumerate(headers or ROSTER_HEADERS):
        sheet.write_string(0, col, header)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.close()


def roster_row(i: int, team: str = "", **overrides) -> list:
    """A valid row; `i` makes the person unique."""
    from datetime import date as _date
    from datetime import timedelta

    values = {
        "姓名": f"名单某{i}",
        "手机号码": f"1360{i:07d}",
        "证件类型": "居民身份证",
        "证件号码": id_number(_date(1970, 1, 1) + timedelta(days=i % 15000), seq=i % 1000),
        "性别": "",
        "出生日期": "",
        "所属区域": "",
        "专业技能": "驾驶" if i % 2 else "",
        "队伍": team,
        "角色": "志愿者" if team else "",
        "职务": "",
    }
    values.update(overrides)
    return [values[h] for h in ROSTER_HEADERS]
