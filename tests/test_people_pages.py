"""Volunteer pages: registering on a phone, my profile, the officers' register, ID reveals and entry."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, UserFactory
from tests.people_helpers import id_number, last_code
from tests.test_pages import as_user, section, text
from zhiyuan.core import crypto, ids, sms
from zhiyuan.core.models import User
from zhiyuan.core.search import search_text
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import IdReveal, Skill, Volunteer
from zhiyuan.people.services import phone
from zhiyuan.people.services.volunteers import volunteer_register

BORN = date(1990, 5, 17)
ID = id_number(BORN)
MASKED = "4101" + "*" * 10 + ID[-4:]
MOBILE = "13800001234"
PASSWORD = "zhiyuan-Volunteer-1"
HX = {"HTTP_HX_REQUEST": "true"}
LISTED = re.compile(r'<a href="/app/volunteers/(ZY\w+)/">([^<]+)</a>')


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


def make_volunteer(home, *, name="张某明", mobile=MOBILE, born=BORN, skills=()) -> Volunteer:
    """A volunteer who registered themself (through the service the registration page calls)."""
    phone.phone_code_send(mobile=mobile)
    data = dict(full_name=name, mobile=mobile, code=last_code(mobile), password=PASSWORD, id_type="resident")
    data.update(id_number=id_number(born), home_organization=home, privacy_consent=True)
    return volunteer_register(**data, political_status="masses", skills=Skill.objects.filter(code__in=skills))


def bulk_volunteers(home, count: int, start: int = 0) -> None:
    """`count` volunteers living under `home`, fast: bulk_create skips save(), so fill search and digests."""
    names = {i: f"批量某{i}" for i in range(start, start + count)}
    users = User.objects.bulk_create(
        User(username=f"bulk{i}", full_name=n, mobile=f"139{i:08d}", search=search_text(n))
        for i, n in names.items()
    )
    Volunteer.objects.bulk_create(
        bulk_row(user, home, date(1960, 1, 1) + timedelta(days=i))
        for user, i in zip(users, names, strict=True)
    )


def bulk_row(u, home, born: date) -> Volunteer:
    n = id_number(born)
    v = Volunteer(user=u, home_organization=home, number=f"ZYB{u.pk:08d}", gender="male", birth_date=born)
    v.id_cipher, v.id_digest, v.id_masked = crypto.encrypt(n), crypto.digest(f"resident:{n}"), ids.mask(n)
    return v


def listed(page) -> list[str]:
    """Names of the volunteers linked from a response or a piece of page, in page order."""
    return [name for _, name in LISTED.findall(page if isinstance(page, str) else text(page))]


def registration_form(world, **changes) -> dict:
    data = dict(mobile=MOBILE, code=last_code(MOBILE), full_name="张某明", id_type="resident", id_number=ID)
    data.update(home_organization=world.east.pk, password=PASSWORD, political_status="masses")
    data.update(privacy_consent="on", availability=["1-am", "6-pm"])
    data["skills"] = [Skill.objects.get(code="medical").pk]
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def entry_form(organization, home, **changes) -> dict:
    data = dict(organization=organization.pk, full_name="赵某平", mobile="13600002468", id_type="resident")
    data.update(id_number=id_number(date(1970, 1, 1)), home_organization=home.pk, political_status="masses")
    data.update(consent_evidence="本人在纸质登记表上签字同意，2026-11-20")
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


# --- registration on a phone ------------------------------------------------------------------------------


def test_the_registration_page_fits_a_phone_and_explains_privacy_first(client, db):
    # when a newcomer opens the public registration page on their phone
    response = client.get("/register/")
    page = text(response)
    # then it is a phone-width form with a code button, a phone keypad and the privacy notice
    assert response.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "获取验证码" in page and 'hx-post="/register/code/"' in page
    assert 'type="tel"' in page and 'autocomplete="one-time-code"' in page
    assert "志愿者个人信息保护说明" in page and "证件号码加密保存，页面上仅显示部分号码" in page
    assert "（版本 2026-11）" in page and 'name="privacy_consent"' in page


def test_asking_for_a_code_sends_one_and_refuses_a_second_within_a_minute(client, db):
    # when the newcomer taps 获取验证码
    sent = client.post("/register/code/", {"mobile": MOBILE}, **HX)
    # then a code is texted to that mobile and the button area says so
    assert sent.status_code == 200 and "验证码已发送，10分钟内有效。" in text(sent)
    assert [m.mobile for m in sms.MemoryBackend.outbox] == [MOBILE]
    assert re.fullmatch(r"\d{6}", last_code(MOBILE))
    # when they tap again at once, then they are asked to wait and no second text goes out
    again = client.post("/register/code/", {"mobile": MOBILE}, **HX)
    assert 'role="alert">验证码已发送，请60秒后再试。' in text(again)
    # when the mobile is mistyped, then the Chinese mobile error shows and nothing is sent
    bad = client.post("/register/code/", {"mobile": "1380000"}, **HX)
    assert "请输入有效的11位手机号码，例如 13812345678。" in text(bad)
    assert len(sms.MemoryBackend.outbox) == 1
    # and the endpoint only answers POST
    assert client.get("/register/code/").status_code == 405


def test_a_newcomer_registers_and_lands_on_their_own_page(client, world):
    # given a newcomer who asked for a code on the page
    client.post("/register/code/", {"mobile": MOBILE}, **HX)
    # when they submit the whole form
    response = client.post("/register/", registration_form(world))
    # then they are signed in and sent to their page
    assert response.status_code == 302 and response["Location"] == "/app/me/"
    volunteer = Volunteer.objects.get()
    assert client.session["_auth_user_id"] == str(volunteer.user_id)
    assert volunteer.availability == ["1-am", "6-pm"] and volunteer.home_organization == world.east
    # and the page shows their number, their masked ID and the verified mobile, never the full ID
    me = client.get("/app/me/")
    page = text(me)
    assert re.search(rf"注册成功！您的志愿者编号是 {volunteer.number}。", page)
    assert re.fullmatch(r"ZY\d{12}", volunteer.number) and volunteer.number in page
    assert MASKED in page and ID not in page and ID not in text(response)
    assert "已验证" in page and "医疗" in page and "郑东新区文明办" in page
    # and the registration page now sends them back to their page
    assert client.get("/register/")["Location"] == "/app/me/"


def test_a_bad_registration_shows_every_problem_at_once_and_creates_nothing(client, world):
    # given a newcomer with a code
    client.post("/register/code/", {"mobile": MOBILE}, **HX)
    users = User.objects.count()
    # when they mistype the ID's check digit, skip the privacy consent and type a wrong code
    wrong_check = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    wrong_code = "000000" if last_code(MOBILE) != "000000" else "111111"
    form = registration_form(world, id_number=wrong_check, privacy_consent=None, code=wrong_code)
    response = client.post("/register/", form)
    # then the form comes back with all three problems in Chinese, next to their fields
    page = text(response)
    assert response.status_code == 200
    for message in (
        "身份证号码校验位不正确，请核对后重新输入。",
        "请阅读并同意隐私政策后再注册。",
        "验证码不正确或已过期，请重新获取。",
    ):
        assert f'<p class="error" role="alert">{message}</p>' in page
    # and nobody was created or signed in
    assert not Volunteer.objects.exists() and User.objects.count() == users
    assert "_auth_user_id" not in client.session


# --- my page -----------------------------------------------------------------------------------------------


def test_my_page_without_a_volunteer_profile_shows_the_empty_state(db):
    # given a signed-in person who never registered as a volunteer
    client = as_user(UserFactory())
    # then their page says so, and editing sends them to registration
    assert "您的账号还没有志愿者资料。" in text(client.get("/app/me/"))
    assert client.get("/app/me/edit/")["Location"] == "/register/"


def test_a_volunteer_changes_residence_and_emergency_contact(world):
    # given a registered volunteer on their edit page
    volunteer = make_volunteer(world.east)
    client = as_user(volunteer.user)
    assert client.get("/app/me/edit/").status_code == 200
    form = {"residence": "如意湖街道", "political_status": "masses", "emergency_name": "张某"}
    # when the emergency phone is not a phone number, then it is refused in Chinese and nothing changes
    bad = client.post("/app/me/edit/", {**form, "emergency_phone": "123"})
    assert bad.status_code == 200
    assert "请输入有效的手机号码或带区号的固定电话号码。" in text(bad)
    volunteer.refresh_from_db()
    assert volunteer.residence == "" and volunteer.emergency_name == ""
    # when they give a landline as people write it, then it is saved normalised and shown on their page
    good = client.post("/app/me/edit/", {**form, "emergency_phone": "0371 6718 6891"})
    assert good["Location"] == "/app/me/"
    page = text(client.get("/app/me/"))
    assert "已保存。" in page and "如意湖街道" in page and "张某 0371-67186891" in page


# --- the officers' register -------------------------------------------------------------------------------


@pytest.fixture
def people(world):
    """张 lives in the east; 李 lives in the west but serves in an east team; 王 is all west."""
    zhang = make_volunteer(world.east, skills=["medical"])
    li = make_volunteer(
        world.west, name="李某华", mobile="13900005678", born=date(1985, 3, 3), skills=["legal"]
    )
    MembershipFactory(user=li.user, organization=world.east_team, role=Role.VOLUNTEER)
    wang = make_volunteer(world.west, name="王某军", mobile="13700009999", born=date(1975, 7, 7))
    return zhang, li, wang


def test_officers_see_residents_of_their_district_and_members_of_their_teams(world, people):
    # when each officer opens the register
    east = as_user(world.east_officer).get("/app/volunteers/")
    west = as_user(world.west_officer).get("/app/volunteers/")
    # then east sees its resident and the west resident serving in an east team, but not the west-only one
    assert sorted(listed(east)) == sorted(["张某明", "李某华"])
    assert "共 2 名志愿者" in text(east) and "代为登记" in text(east)
    # and west sees its own two residents only
    assert sorted(listed(west)) == sorted(["李某华", "王某军"])


@pytest.mark.parametrize(
    "params, found",
    [
        ({"q": "张某明"}, ["张某明"]),
        ({"q": "zmm"}, ["张某明"]),
        ({"q": "LI mou hua"}, ["李某华"]),
        ({"q": "{number}"}, ["张某明"]),
        ({"q": "5678"}, ["李某华"]),
        ({"q": "0000 1234"}, ["张某明"]),
        ({"skill": "legal"}, ["李某华"]),
        ({"district": "{west}"}, ["李某华"]),
        ({"q": "王某军"}, []),
    ],
)
def test_officers_search_by_name_pinyin_number_mobile_skill_or_district(world, people, params, found):
    zhang = people[0]
    filled = {k: v.format(number=zhang.number.lower(), west=world.west.pk) for k, v in params.items()}
    # when the east officer searches (by POST: the search form never puts a mobile in the URL)
    response = as_user(world.east_officer).post("/app/volunteers/", filled)
    # then exactly the matching volunteers they may see are listed
    assert listed(response) == found
    if not found:
        assert "没有符合条件的志愿者。" in text(response)


def test_fewer_than_four_digits_do_not_search_mobiles(world, people):
    # when the officer types three digits that occur only in 张's mobile, then nobody is found
    response = as_user(world.east_officer).post("/app/volunteers/", {"q": "800"})
    assert listed(response) == []


def test_a_mobile_in_a_url_is_not_searched(world, people):
    # a GET (a bookmark, a log line) keeps names and pinyin but drops a term with digits
    client = as_user(world.east_officer)
    assert sorted(listed(client.get("/app/volunteers/", {"q": "0000 1234"}))) == ["张某明", "李某华"]
    assert listed(client.get("/app/volunteers/", {"q": "zmm"})) == ["张某明"]
    page = text(client.get("/app/volunteers/"))
    assert 'method="post"' in page and "hx-post" in page


def test_an_unknown_skill_does_not_widen_a_name_search(world, people):
    response = as_user(world.east_officer).get("/app/volunteers/", {"q": "zmm", "skill": "bogus"})
    assert "李某华" not in listed(response)


def test_the_list_answers_htmx_with_the_rows_and_never_shows_a_full_id(world, people):
    client = as_user(world.east_officer)
    # when the search box asks through htmx, then only the rows come back
    rows = client.get("/app/volunteers/", {"q": "zmm"}, **HX)
    assert "<html" not in text(rows) and listed(rows) == ["张某明"] and "共 1 名志愿者" in text(rows)
    # and the full page wraps the same rows in the results section
    full = client.get("/app/volunteers/", {"q": "zmm"})
    assert listed(section(full, "volunteer-results")) == ["张某明"]
    # and the list shows masked IDs only, and no mobile at all
    for response in (rows, full):
        assert MASKED in text(response) and ID not in text(response) and MOBILE not in text(response)


def test_the_list_pages_and_costs_the_same_queries_for_10_or_1000(world, django_assert_num_queries):
    # given 10 volunteers in the east
    bulk_volunteers(world.east, 10)
    client = as_user(world.east_officer)
    client.get("/app/volunteers/")  # warm the caches every request shares
    with CaptureQueriesContext(connection) as at_10:
        small = client.get("/app/volunteers/", {"q": "plm"})
    # when there are 1,000
    bulk_volunteers(world.east, 990, start=10)
    # then the page costs exactly as many queries
    with django_assert_num_queries(len(at_10)):
        large = client.get("/app/volunteers/", {"q": "plm"})
    assert (len(listed(small)), len(listed(large))) == (10, 50)
    assert "共 1000 名志愿者" in text(large) and "1 / 20" in text(large)
    # and the next page keeps the search
    assert 'href="?q=plm&page=2"' in text(large)
    second = client.get("/app/volunteers/", {"q": "plm", "page": 2}, **HX)
    assert "2 / 20" in text(second) and 'href="?q=plm&page=1"' in text(second)
    assert set(listed(second)).isdisjoint(listed(large)) and len(listed(second)) == 50


# --- the detail page and who may open it -------------------------------------------------------------------


def test_a_west_officer_cannot_reach_an_east_volunteer(world, people):
    zhang = people[0]
    client = as_user(world.west_officer)
    base = f"/app/volunteers/{zhang.number}/"
    # when the west officer tries the detail, edit and reveal addresses, then they are simply not found
    assert client.get(base).status_code == 404
    assert client.get(base + "edit/").status_code == 404
    assert client.post(base + "edit/", {"residence": "x", "political_status": "masses"}).status_code == 404
    assert client.post(base + "reveal/", {"reason": "好奇"}).status_code == 404
    assert not IdReveal.objects.exists()
    zhang.refresh_from_db()
    assert zhang.residence == ""


def test_a_plain_member_sees_no_volunteers_and_may_not_enter_any(world, people):
    # given a plain member of the east office (no volunteer permissions)
    client = as_user(MembershipFactory(organization=world.east, role=Role.MEMBER).user)
    # when they open the register, then it is empty and offers no entry; a detail page is not found
    response = client.get("/app/volunteers/")
    assert response.status_code == 200 and listed(response) == []
    assert "没有符合条件的志愿者。" in text(response) and "代为登记" not in text(response)
    assert client.get(f"/app/volunteers/{people[0].number}/").status_code == 404
    # and the entry form is forbidden, whether opened or posted
    assert client.get("/app/volunteers/new/").status_code == 403
    denied = client.post("/app/volunteers/new/", entry_form(world.east, world.east, mobile="13600001357"))
    assert denied.status_code == 403 and "您无权代为登记志愿者。" in text(denied)
    assert Volunteer.objects.count() == len(people)


def test_a_volunteer_opens_their_own_detail_page(world, people):
    li = people[1]
    # when 李 opens their own record, then they see it (masked), without officer actions
    response = as_user(li.user).get(f"/app/volunteers/{li.number}/")
    assert response.status_code == 200 and li.number in text(response)
    assert li.id_masked in text(response) and 'id="reveal"' not in text(response)
    assert "青年志愿服务队（东）" in section(response, "teams")
    # but not someone else's
    assert as_user(li.user).get(f"/app/volunteers/{people[0].number}/").status_code == 404


# --- revealing a full ID number ---------------------------------------------------------------------------


def test_an_officer_reveals_an_id_number_with_a_reason_and_it_is_recorded(world, people):
    zhang = people[0]
    client = as_user(world.east_officer)
    detail = client.get(f"/app/volunteers/{zhang.number}/")
    assert 'id="reveal"' in text(detail) and ID not in text(detail)
    # when they ask without a reason, then they are asked for one and nothing is recorded
    empty = client.post(f"/app/volunteers/{zhang.number}/reveal/", {"reason": "  "}, **HX)
    assert empty.status_code == 200 and 'class="error"' in text(empty) and ID not in text(empty)
    assert not IdReveal.objects.exists()
    # when they give a reason, then the full number shows and the reveal is on record
    shown = client.post(f"/app/volunteers/{zhang.number}/reveal/", {"reason": "购买意外保险"}, **HX)
    assert ID in text(shown) and "本次查看已记录。" in text(shown)
    assert list(IdReveal.objects.values_list("volunteer", "by", "reason")) == [
        (zhang.pk, world.east_officer.pk, "购买意外保险")
    ]


def test_a_team_leader_may_not_reveal_an_id_number(world, people):
    zhang = people[0]
    client = as_user(MembershipFactory(organization=world.east, role=Role.LEADER).user)
    # given a 队长 of the east, who sees the record but holds no reveal permission
    detail = client.get(f"/app/volunteers/{zhang.number}/")
    assert detail.status_code == 200 and 'id="reveal"' not in text(detail)
    # when they post a reveal anyway, then it is forbidden and nothing is recorded
    response = client.post(f"/app/volunteers/{zhang.number}/reveal/", {"reason": "好奇"})
    assert response.status_code == 403 and "您无权查看完整证件号码。" in text(response)
    assert ID not in text(response) and not IdReveal.objects.exists()


# --- entry by an organisation -----------------------------------------------------------------------------


def test_the_entry_form_offers_only_managed_organisations_and_needs_recorded_consent(world):
    client = as_user(world.east_officer)
    # when the east officer opens the form, then 登记单位 lists only what they manage
    select = re.search(
        r'<select name="organization".*?</select>', text(client.get("/app/volunteers/new/")), re.S
    )
    offered = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select.group(0))
    assert offered == ["郑东新区文明办", "青年志愿服务队（东）"]
    # when they save without saying how the volunteer consented, then it is refused and nothing is created
    response = client.post("/app/volunteers/new/", entry_form(world.east, world.east, consent_evidence=None))
    assert (
        '<p class="error" id="id_consent_evidence_error" role="alert">代为登记须记录志愿者本人同意的方式和时间。</p>'
        in text(response)
    )
    assert not Volunteer.objects.exists()


def test_an_officer_enters_a_volunteer_and_lands_on_their_record(world):
    client = as_user(world.east_officer)
    # when the east officer enters a resident for the east team
    response = client.post("/app/volunteers/new/", entry_form(world.east_team, world.east))
    # then the volunteer exists, marked as entered by that team, and the officer sees the new record
    volunteer = Volunteer.objects.get()
    assert volunteer.entered_by == world.east_team and volunteer.mobile_verified_at is None
    assert response["Location"] == f"/app/volunteers/{volunteer.number}/"
    page = text(client.get(response["Location"]))
    assert f"已登记志愿者 {volunteer.number}。" in page and "赵某平" in page and "已验证" not in page


def test_an_officer_who_enters_a_resident_of_another_district_can_open_the_record(world):
    client = as_user(world.east_officer)
    # when the east team enters someone who lives in the west, then the officer can open what they saved
    response = client.post("/app/volunteers/new/", entry_form(world.east_team, world.west), follow=True)
    assert response.status_code == 200
