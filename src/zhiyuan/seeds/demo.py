"""`load_demo`: the seeds plus clearly fictitious people, logins, contacts and a 网格/楼栋/楼层 network.

Everything invented is marked: people are named 某 (张某明), their mobiles are 199 0000 xxxx, units and
grids carry （演示）. Generated from a fixed random seed, so every demo looks the same and runs twice
without adding anything.
"""

from __future__ import annotations

import random
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone

from zhiyuan.config.env import VAR_DIR
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.seeds import orgs_five_hours_2019 as f2019
from zhiyuan.seeds.demo_people import (
    demo_recruitment_and_training,
    demo_shifts,
    demo_stations_for_five_hours,
    demo_volunteer_bookings,
    demo_volunteers,
)
from zhiyuan.seeds.loader import Tally, load_seeds, upsert_contact, upsert_membership, upsert_org

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "明华军芳敏静丽强磊洋艳勇杰娟涛超秀霞平刚桂英"

# (username, role, organisation name, 职务): people who log in to the demo.
STAFF_LOGINS = [
    ("officer", "officer", "郑州市文明办", "志愿服务处干部（演示）"),
    ("district", "officer", "火车站地区文明办", "文明办干部（演示）"),
    ("leader", "leader", "巾帼志愿服务支队", "支队长（演示）"),
    ("squadron", "office_deputy", f2019.SQUADRON, "办公室干事（演示）"),
    ("gridhead", "grid_head", "第一网格（演示）", "网格长（演示）"),
]
# Made after every other demo person, so that adding them renumbered nobody in an existing demo: a unit's
# 联络员 who reports for 市妇联 (a unit seed 000 asks to report), and a plain volunteer of the
# 消防志愿服务支队 booked on this week's shifts.
PERSONAL_LOGINS = [
    ("liaison", "liaison", "市妇联", "联络员（演示）"),
    ("volunteer", "volunteer", "消防志愿服务支队", ""),
]
DEMO_LOGINS = STAFF_LOGINS + PERSONAL_LOGINS


def demo_password() -> str:
    path = VAR_DIR / "demo_password"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


class People:
    """Fictitious people, each made once: 张某明 with mobile 19900000001."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.rng = random.Random(2019)
        self.n = 0

    def make(self, username: str | None = None) -> User:
        self.n += 1
        name = self.rng.choice(SURNAMES) + "某" + self.rng.choice(GIVEN)
        username = username or f"demo{self.n:03d}"
        user = User.objects.filter(username=username).first()
        if user is not None:
            self.tally.count("unchanged")
            return user
        user = User(username=username, full_name=name, mobile=f"1990000{self.n:04d}")
        user.set_unusable_password()
        user.save()
        self.tally.count("created")
        return user


def _grid_network(tally: Tally, people: People, workstation: Organization) -> None:
    for g in ("第一网格（演示）", "第二网格（演示）"):
        grid = upsert_org(tally, name=g, kind="grid", parent=workstation)
        if g.startswith("第二"):  # leave one grid without a 网格长 so the coverage view has a gap to show
            continue
        for b in range(1, 4):
            building = upsert_org(tally, name=f"{b}号楼", kind="building", parent=grid)
            if b != 3:
                upsert_membership(
                    tally, user=people.make(), organization=building, role="building_head", title=""
                )
            for f in range(1, 7):
                floor = upsert_org(tally, name=f"{f}层", kind="floor", parent=building)
                if (b + f) % 3:
                    upsert_membership(
                        tally, user=people.make(), organization=floor, role="floor_head", title=""
                    )


@transaction.atomic
def load_demo(*, today: date | None = None, size: str = "full") -> tuple[Tally, str]:
    tally = load_seeds()
    people = People(tally)
    centre = Organization.objects.get(name="郑州航空港经济综合实验区IT产业园社区服务中心")
    stations = [
        upsert_org(tally, name=f"{n}工作站（演示）", kind="workstation", parent=centre)
        for n in ("第一", "第二", "第三")
    ]
    _grid_network(tally, people, stations[0])
    password = demo_password()
    for username, role, org_name, title in STAFF_LOGINS:
        _login(tally, people.make(username=username), password, role, org_name, title)
    # attachment 2 for the offices and brigades that staff stations, filled with invented people
    for i, org in enumerate(
        Organization.objects.filter(kind__in=["office", "brigade"]).order_by("path")[:20]
    ):
        filled = set(org.contacts.values_list("category", flat=True))
        for j, category in enumerate(("leader_in_charge", "person_in_charge", "liaison", "reporter")):
            person = people.make()
            if category in filled and not org.contacts.filter(category=category, title="（演示）").exists():
                continue  # a real contact from the seed document (王红彬) is never overwritten
            upsert_contact(
                tally,
                organization=org,
                category=category,
                name=person.full_name,
                title="（演示）",
                office_phone=f"0371-6{i:03d}{j:04d}",
                mobile=person.mobile,
            )
    for org in Organization.objects.filter(kind="brigade").order_by("path"):
        for _ in range(3):
            upsert_membership(tally, user=people.make(), organization=org, role="member", title="")
    officer = User.objects.get(username="officer")
    demo_volunteers(tally, officer=officer)
    demo_recruitment_and_training(tally, officer=officer)
    demo_stations_for_five_hours(tally, officer=officer)
    demo_shifts(tally, officer=officer)
    from zhiyuan.seeds.demo_outreach import demo_outreach

    demo_outreach(tally)
    from zhiyuan.seeds.demo_community import demo_community

    demo_community(tally)
    liaison, volunteer = (people.make(username=username) for username, *_ in PERSONAL_LOGINS)
    _login(tally, liaison, password, *PERSONAL_LOGINS[0][1:])
    _password(volunteer, password)
    demo_volunteer_bookings(tally, officer=officer, user=volunteer, team_name=PERSONAL_LOGINS[1][2])
    from zhiyuan.seeds.demo_live import load_living

    load_living(tally, today=today or timezone.localdate(), size=size)
    return tally, password


def _password(user: User, password: str) -> None:
    if not user.has_usable_password() or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])


def _login(tally: Tally, user: User, password: str, role: str, org_name: str, title: str) -> None:
    _password(user, password)
    upsert_membership(
        tally, user=user, organization=Organization.objects.get(name=org_name), role=role, title=title
    )
