"""招募 pages: the public notices, applying on a phone, the review queue, my applications, who reaches what,
and what each list costs (pages and API)."""

import html
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers, id_number, last_code
from tests.test_recruitment import apply, notice_data, published
from zhiyuan.core import sms
from zhiyuan.organizations.models import Membership
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Application, Recruitment, Skill, Volunteer
from zhiyuan.people.services import phone
from zhiyuan.people.services import recruitment as services
from zhiyuan.people.services.volunteers import volunteer_register

HTMX = {"HTTP_HX_REQUEST": "true"}


def as_user(user) -> Client:
    user.refresh_from_db()  # the factory's password hash must match the stored row for the session to hold
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


@pytest.fixture
def leader(world):
    return MembershipFactory(organization=world.east_team, role=Role.LEADER).user


@pytest.fixture
def notice(world):
    return published(world.east_officer, world.east_team)


def newcomer(world) -> Volunteer:
    """Someone who registered themself on their phone a minute ago."""
    phone.phone_code_send(mobile="13800005678")
    return volunteer_register(
        full_name="李新来",
        mobile="13800005678",
        code=last_code("13800005678"),
        password="zhiyuan-Volunteer-1",
        id_type="resident",
        id_number=id_number(date(1998, 3, 4)),
        home_organization=world.east,
        privacy_consent=True,
    )


def test_a_newcomer_applies_and_the_leader_takes_them_on(world, leader, notice):
    # given a newcomer who registered and signed in
    volunteer = newcomer(world)
    client = Client()
    assert client.login(username="13800005678", password="zhiyuan-Volunteer-1")
    # when they find the notice on the public page
    listing = text(client.get("/recruit/"))
    assert notice.title in listing and "剩余 3 个名额" in listing
    page = text(client.get(f"/recruit/{notice.pk}/"))
    # then they read the risks, the insurance, who certifies their hours and the deadline before applying
    for fact in (notice.risks, notice.insurance, world.east_team.name, "时长记录及证明", "报名截止"):
        assert fact in page
    assert f'hx-post="/recruit/{notice.pk}/apply/"' in page
    # when they apply
    applied = client.post(f"/recruit/{notice.pk}/apply/", {"motivation": "家住东站附近"}, **HTMX)
    assert "报名成功" in text(applied) and "待审核" in text(applied)
    # and the team leader approves them from the queue
    queue = text(as_user(leader).get(f"/app/recruitments/{notice.pk}/applications/"))
    assert "李新来" in queue and "家住东站附近" in queue
    application = Application.objects.get(volunteer=volunteer)
    row = as_user(leader).post(f"/app/applications/{application.pk}/decide/", {"approve": "1"}, **HTMX)
    assert "已录用" in text(row) and 'id="places-left" hx-swap-oob="true"' in text(row)
    assert "剩余 2 个名额" in text(row)
    # then they are a volunteer of the team, and their applications page says so
    assert Membership.objects.filter(
        user=volunteer.user, organization=world.east_team, role=Role.VOLUNTEER
    ).exists()
    mine = text(client.get("/app/me/applications/"))
    assert notice.title in mine and "已录用" in mine
    assert world.east_team.name in text(client.get("/app/me/"))


def test_rejecting_on_the_page_needs_a_reason(world, leader, notice):
    volunteer = bulk_volunteers(world.east, 1, start=700)[0]
    application = apply(volunteer, notice)
    url = f"/app/applications/{application.pk}/decide/"
    row = text(as_user(leader).post(url, {"approve": "0", "reason": ""}, **HTMX))
    assert "不录用时请填写原因。" in row
    assert Application.objects.get().status == Application.Status.PENDING
    row = text(as_user(leader).post(url, {"approve": "0", "reason": "年龄不符合岗位要求"}, **HTMX))
    assert "未录用" in row and "年龄不符合岗位要求" in row
    mine = text(as_user(volunteer.user).get("/app/me/applications/"))
    assert "未录用" in mine and "年龄不符合岗位要求" in mine


def test_who_may_apply_is_told_how(world, notice):
    # a visitor is asked to sign in or register
    page = text(Client().get(f"/recruit/{notice.pk}/"))
    assert "登录后报名" in page and 'href="/register/"' in page
    # a signed-in officer without a volunteer profile is sent to registration
    officer = as_user(world.east_officer)
    assert "请先注册成为志愿者" in text(officer.get(f"/recruit/{notice.pk}/"))
    refused = officer.post(f"/recruit/{notice.pk}/apply/", {}, **HTMX)
    assert "请先注册成为志愿者" in text(refused) and not Application.objects.exists()
    # a visitor posting directly is sent to sign in
    assert Client().post(f"/recruit/{notice.pk}/apply/").status_code == 302


def test_closed_states_on_the_public_pages(world):
    # given one notice past its deadline and one full
    expired = published(world.east_officer, world.east_team, title="已过期的招募")
    Recruitment.objects.filter(pk=expired.pk).update(deadline=timezone.now() - timedelta(hours=1))
    full = published(world.east_officer, world.east_team, title="已招满的招募", wanted=1)
    Recruitment.objects.filter(pk=full.pk).update(approved_count=1)
    draft = services.recruitment_create(
        by=world.east_officer, **notice_data(world.east_team, title="草稿招募")
    )
    # then the open list has neither, the closed list has both with their state
    client = Client()
    assert "目前没有正在招募的公告" in text(client.get("/recruit/"))
    closed = text(client.get("/recruit/?state=closed"))
    assert "已过期的招募" in closed and "已招满的招募" in closed and "草稿招募" not in closed
    assert "已截止" in closed and "已满" in closed
    assert "报名已截止。" in text(client.get(f"/recruit/{expired.pk}/"))
    assert "名额已满" in text(client.get(f"/recruit/{full.pk}/"))
    assert client.get(f"/recruit/{draft.pk}/").status_code == 404


def test_a_minor_sees_the_age_limit_instead_of_the_button(world):
    r = published(world.east_officer, world.east_team, minimum_age=18)
    young = bulk_volunteers(world.east, 1, start=710)[0]
    Volunteer.objects.filter(pk=young.pk).update(birth_date=timezone.localdate().replace(year=2011))
    page = text(as_user(young.user).get(f"/recruit/{r.pk}/"))
    assert "本招募要求年满 18 周岁" in page and "hx-post" not in page


def test_withdraw_from_my_applications(world, notice):
    volunteer = bulk_volunteers(world.east, 1, start=720)[0]
    application = apply(volunteer, notice)
    client = as_user(volunteer.user)
    done = client.post(f"/app/applications/{application.pk}/withdraw/", follow=True)
    assert "已撤回报名" in text(done) and "已撤回" in text(done)
    # someone else's application does not exist for them
    other = bulk_volunteers(world.east, 1, start=721)[0]
    theirs = apply(other, notice)
    assert client.post(f"/app/applications/{theirs.pk}/withdraw/").status_code == 404


# --- the workspace ----------------------------------------------------------------------------------------


def form_data(world, **overrides):
    data = notice_data(world.east_team)
    data.update(
        organization=world.east.pk,
        team=world.east_team.pk,
        hours_recorder="",
        starts_on=data["starts_on"].isoformat(),
        ends_on=data["ends_on"].isoformat(),
        deadline=timezone.localtime(data["deadline"]).strftime("%Y-%m-%dT%H:%M"),
        minimum_age=0,
        requirements="",
        campaign="",
        programme="",
    )
    data.update(overrides)
    return data


def test_an_officer_writes_publishes_and_closes_a_notice(world):
    client = as_user(world.east_officer)
    assert "新建" in text(client.get("/app/recruitments/"))
    # a form with several mistakes reports them all at once
    bad = form_data(world, starts_on="2027-02-10", ends_on="2027-02-01", wanted=0, risks="", insurance="")
    page = text(client.post("/app/recruitments/new/", bad))
    for message in ("结束日期不能早于开始日期", "招募人数至少为1人", "第十二条", "第十七条"):
        assert message in page
    assert not Recruitment.objects.exists()
    # a good one is saved as a draft, then published
    created = client.post("/app/recruitments/new/", form_data(world))
    r = Recruitment.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/app/recruitments/{r.pk}/"
    assert (r.status, r.organization, r.hours_recorder) == ("draft", world.east, world.east)
    client.post(f"/app/recruitments/{r.pk}/publish/")
    assert Recruitment.objects.get().status == "published"
    edited = client.post(f"/app/recruitments/{r.pk}/edit/", form_data(world, title="改过的标题", wanted=8))
    assert edited.status_code == 302 and Recruitment.objects.get().wanted == 8
    client.post(f"/app/recruitments/{r.pk}/close/")
    detail = text(client.get(f"/app/recruitments/{r.pk}/"))
    assert "已结束" in detail and "变更记录" in detail
    assert client.get(f"/app/recruitments/{r.pk}/edit/").status_code == 302  # no longer editable


def test_people_without_the_right_cannot_write_notices(world):
    volunteer = bulk_volunteers(world.east, 1, start=730)[0]
    assert as_user(volunteer.user).get("/app/recruitments/new/").status_code == 403
    assert "新建" not in text(as_user(volunteer.user).get("/app/recruitments/"))


EAST_PAGES = [
    ("get", "/app/recruitments/{r}/"),
    ("get", "/app/recruitments/{r}/edit/"),
    ("post", "/app/recruitments/{r}/edit/"),
    ("post", "/app/recruitments/{r}/publish/"),
    ("post", "/app/recruitments/{r}/close/"),
    ("post", "/app/recruitments/{r}/cancel/"),
    ("get", "/app/recruitments/{r}/applications/"),
    ("post", "/app/applications/{a}/decide/"),
    ("post", "/app/applications/{a}/withdraw/"),
]


@pytest.mark.parametrize(("method", "url"), EAST_PAGES, ids=[f"{m} {u}" for m, u in EAST_PAGES])
def test_the_west_officer_cannot_reach_east_notices_through_the_pages(world, method, url):
    r = published(world.east_officer, world.east_team)
    application = apply(bulk_volunteers(world.east, 1, start=740)[0], r)
    before = list(Recruitment.objects.values_list("title", "status", "approved_count"))
    client = as_user(world.west_officer)
    path = url.format(r=r.pk, a=application.pk)
    data = {**form_data(world, title="渗透"), "approve": "1"}
    response = client.get(path) if method == "get" else client.post(path, data)
    assert response.status_code == 404
    assert r.title not in text(response)
    assert list(Recruitment.objects.values_list("title", "status", "approved_count")) == before
    assert Application.objects.get().status == Application.Status.PENDING


# --- what a list costs ------------------------------------------------------------------------------------


def bulk_notices(world, count: int, **fields) -> list[Recruitment]:
    start = timezone.localdate() + timedelta(days=5)
    rows = [
        Recruitment(
            organization=world.east,
            team=world.east_team,
            hours_recorder=world.east,
            title=f"招募{i}",
            content="服务",
            starts_on=start,
            ends_on=start,
            location="站点",
            wanted=5,
            risks="无",
            insurance="已购买",
            deadline=timezone.now() + timedelta(days=3),
            status=Recruitment.Status.PUBLISHED,
            published_at=timezone.now(),
            created_by=world.east_officer,
            **fields,
        )
        for i in range(count)
    ]
    made = Recruitment.objects.bulk_create(rows)
    medical = Skill.objects.get(code="medical")
    Recruitment.skills.through.objects.bulk_create(
        [Recruitment.skills.through(recruitment_id=r.pk, skill_id=medical.pk) for r in made]
    )
    return made


@pytest.mark.parametrize("size", [10, 1000])
def test_pages_cost_the_same_at_any_size(world, size, django_assert_num_queries):
    notices = bulk_notices(world, size)
    Application.objects.bulk_create(
        Application(recruitment=notices[-1], volunteer=v)
        for v in bulk_volunteers(world.east, size, start=3000)
    )
    visitor, officer = Client(), as_user(world.east_officer)
    # count, page, skills, "may manage?" (nothing for a visitor)
    with django_assert_num_queries(3):
        assert visitor.get("/recruit/").status_code == 200
    # session, user, grants, count, page, skills, "may create?"
    with django_assert_num_queries(7):
        assert officer.get("/app/recruitments/").status_code == 200
    # session, user, grants, the notice, its skills, count, page
    with django_assert_num_queries(7):
        page = officer.get(f"/app/recruitments/{notices[-1].pk}/applications/")
    assert page.status_code == 200 and page.context["page"].paginator.count == size


@pytest.mark.parametrize("size", [10, 1000])
def test_api_lists_cost_the_same_at_any_size(world, size, django_assert_num_queries):
    notices = bulk_notices(world, size)
    Application.objects.bulk_create(
        Application(recruitment=notices[-1], volunteer=v)
        for v in bulk_volunteers(world.east, size, start=2000)
    )
    api = Api(world.east_officer)
    # token + last-used stamp, grants, count, page, skills
    with django_assert_num_queries(6):
        body = api.get("/recruitments?limit=100").json()
    assert body["count"] == size and len(body["items"]) == min(size, 100)
    assert body["items"][0]["id"] == notices[-1].pk and body["items"][0]["pending_count"] == size
    # token + stamp, grants, the notice (+ skills), count, page
    with django_assert_num_queries(7):
        body = api.get(f"/recruitments/{notices[-1].pk}/applications?limit=100").json()
    assert body["count"] == size
    anonymous = Client()
    with django_assert_num_queries(3):  # count, page, skills: no sign-in
        body = anonymous.get("/api/v1/recruitments/public?limit=100").json()
    assert body["count"] == size
