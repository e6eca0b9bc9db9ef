"""Workspace pages under /app/: who may reach and change what, adding members, and what each page costs."""

import re

import pytest

from tests.factories import MembershipFactory, UnitContactFactory, UserFactory
from tests.test_pages import add_children, as_user, crumbs, linked_orgs, org_form_data, section, text
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Kind, Membership, Organization, UnitContact
from zhiyuan.organizations.roles import Role

NEW_MEMBER = {"full_name": "王继跃", "mobile": "13812345678", "role": Role.OFFICER, "title": ""}
NEW_CONTACT = {
    "category": "leader_in_charge",
    "name": "李领导",
    "title": "",
    "office_phone": "0371-67186000",
    "mobile": "",
}

# (method, url, POST data); {org}, {contact} and {membership} are objects in the east subtree
EAST_URLS = [
    ("get", "/app/orgs/{org}/", None),
    ("get", "/app/orgs/{org}/children/", None),
    ("get", "/app/orgs/{org}/edit/", None),
    ("post", "/app/orgs/{org}/edit/", "org"),
    ("post", "/app/orgs/{org}/delete/", {}),
    ("get", "/app/orgs/new/?parent={org}", None),
    ("post", "/app/orgs/new/?parent={org}", {"name": "渗透队", "kind": Kind.TEAM, "parent": "{org}"}),
    ("get", "/app/orgs/{org}/members/add/", None),
    ("post", "/app/orgs/{org}/members/add/", NEW_MEMBER),
    ("get", "/app/orgs/{org}/contacts/add/", None),
    ("post", "/app/orgs/{org}/contacts/add/", NEW_CONTACT),
    ("get", "/app/contacts/{contact}/edit/", None),
    ("post", "/app/contacts/{contact}/edit/", {**NEW_CONTACT, "category": "liaison"}),
    ("post", "/app/contacts/{contact}/delete/", {}),
    ("post", "/app/members/{membership}/remove/", {}),
]


def snapshot() -> tuple:
    """Everything a request could change in the registry."""
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "name", "parent_id", "path", "address")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "organization_id", "role")),
        list(UnitContact.objects.order_by("pk").values_list("pk", "category", "name", "office_phone")),
        User.objects.count(),
    )


def request(client, method: str, url: str, data, org: Organization, **ids):
    url = url.format(org=org.pk, **ids)
    if data == "org":
        data = org_form_data(org, name="改名了", address="别处")
    elif isinstance(data, dict):
        data = {k: (v.format(org=org.pk) if isinstance(v, str) else v) for k, v in data.items()}
    return getattr(client, method)(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("target", ["east", "east_team"])
@pytest.mark.parametrize(("method", "url", "data"), EAST_URLS, ids=[f"{m} {u}" for m, u, _ in EAST_URLS])
def test_the_west_officer_cannot_reach_anything_in_the_east(world, target, method, url, data):
    # given a contact and a membership in the east subtree
    org = getattr(world, target)
    contact = UnitContactFactory(organization=org, category="liaison", name="钱联络")
    membership = MembershipFactory(organization=org, role=Role.MEMBER)
    before = snapshot()
    # when the west officer tries the east object's URL directly
    response = request(
        as_user(world.west_officer), method, url, data, org, contact=contact.pk, membership=membership.pk
    )
    # then it does not exist for them, and nothing changed
    assert response.status_code == 404
    assert "未找到" in text(response) and org.name not in text(response)
    assert snapshot() == before


def test_the_west_officer_cannot_pick_an_east_org_as_parent(world):
    # given the west officer on the new-organisation form: the east office is not offered
    before = snapshot()
    client = as_user(world.west_officer)
    form = client.get("/app/orgs/new/")
    assert "郑东新区文明办" not in text(form) and "中原区文明办" in text(form)
    # when they post its id anyway, to create under it or to move their own team under it, then it is refused
    response = client.post("/app/orgs/new/", {"name": "渗透队", "kind": Kind.TEAM, "parent": world.east.pk})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    moved = client.post(
        f"/app/orgs/{world.west_team.pk}/edit/", org_form_data(world.west_team, parent=world.east.pk)
    )
    assert moved.status_code == 200 and "parent" in moved.context["form"].errors
    assert snapshot() == before


FORBIDDEN_TO_MEMBERS = [
    ("get", "/app/orgs/{org}/edit/", None),
    ("post", "/app/orgs/{org}/edit/", "org"),
    ("post", "/app/orgs/{org}/delete/", {}),
    ("get", "/app/orgs/{org}/members/add/", None),
    ("post", "/app/orgs/{org}/members/add/", NEW_MEMBER),
    ("get", "/app/orgs/{org}/contacts/add/", None),
    ("post", "/app/orgs/{org}/contacts/add/", NEW_CONTACT),
    ("post", "/app/members/{membership}/remove/", {}),
]


@pytest.mark.parametrize(
    ("method", "url", "data"), FORBIDDEN_TO_MEMBERS, ids=[f"{m} {u}" for m, u, _ in FORBIDDEN_TO_MEMBERS]
)
def test_a_plain_member_may_look_but_not_change(world, method, url, data):
    # given a plain 成员 of the east office
    member = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    client = as_user(member)
    before = snapshot()
    # when they try to change something
    officer_role = Membership.objects.get(user=world.east_officer)
    response = request(client, method, url, data, world.east, membership=officer_role.pk)
    # then they are told they may not, and nothing changed
    assert response.status_code == 403 and "无权访问" in text(response)
    assert snapshot() == before


def test_a_plain_member_cannot_create_organisations(world):
    # given a plain 成员 of the east office
    member = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    client = as_user(member)
    before = snapshot()
    # when they open or post the new-organisation form, under their office or at the top
    for url, parent in ((f"/app/orgs/new/?parent={world.east.pk}", world.east.pk), ("/app/orgs/new/", "")):
        assert client.get(url).status_code == 403
        response = client.post(url, {"name": "新队", "kind": Kind.TEAM, "parent": parent})
        # then they are refused outright: they manage nothing, so there is no form to fill
        assert response.status_code == 403
    assert snapshot() == before


def test_a_plain_member_sees_the_page_without_the_buttons(world):
    # given a plain 成员; when they open their office, then they see it but none of the buttons that change it
    member = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    page = as_user(member).get(f"/app/orgs/{world.east.pk}/")
    assert page.status_code == 200 and "郑东新区文明办" in text(page)
    for action in ("/edit/", "/delete/", "/members/add/", "/contacts/add/", "/remove/"):
        assert action not in text(page)
    assert "您无权查看联系人。" in section(page, "contacts")


# --- adding members ---------------------------------------------------------------------------------------


def test_adding_a_new_person_by_name_and_mobile(world):
    # when the officer adds someone not yet registered, typed with stray spaces and dashes
    url = f"/app/orgs/{world.east.pk}/members/add/"
    response = as_user(world.east_officer).post(
        url,
        {"full_name": "王 继跃", "mobile": "138-1234-5678", "role": Role.MEMBER, "title": "志愿者"},
        follow=True,
    )
    # then a person (who cannot log in yet) and their role exist, and the page lists them
    person = User.objects.get(mobile="13812345678")
    assert person.full_name == "王继跃" and not person.has_usable_password()
    assert Membership.objects.filter(
        user=person, organization=world.east, role=Role.MEMBER, title="志愿者"
    ).exists()
    assert "已添加成员“王继跃”。" in text(response) and "王继跃" in section(response, "members")


def test_the_same_mobile_under_another_name_is_refused_on_the_mobile_field(world):
    # given 张三 is registered with 13812345678; when 李四 is added with that mobile, then the field says so
    UserFactory(full_name="张三", mobile="13812345678")
    users, members = User.objects.count(), Membership.objects.count()
    response = as_user(world.east_officer).post(
        f"/app/orgs/{world.east.pk}/members/add/",
        {"full_name": "李四", "mobile": "13812345678", "role": Role.MEMBER},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mobile"] == ["该手机号已登记为其他人，请核对姓名或手机号。"]
    assert "该手机号已登记为其他人" in text(response)
    assert (User.objects.count(), Membership.objects.count()) == (users, members)


def test_the_same_mobile_and_name_adds_the_existing_person(world):
    # given 张三 is registered; when he is added with his name and mobile, then no duplicate person appears
    known = UserFactory(full_name="张三", mobile="13812345678")
    users = User.objects.count()
    as_user(world.east_officer).post(
        f"/app/orgs/{world.east.pk}/members/add/",
        {"full_name": "张三", "mobile": "13812345678", "role": Role.LIAISON},
    )
    assert User.objects.count() == users
    assert Membership.objects.filter(user=known, organization=world.east, role=Role.LIAISON).exists()


def test_an_invalid_mobile_is_refused(world):
    # when the mobile is not a mobile number, then the field says so and nothing is created
    users, members = User.objects.count(), Membership.objects.count()
    response = as_user(world.east_officer).post(
        f"/app/orgs/{world.east.pk}/members/add/",
        {"full_name": "李四", "mobile": "12345", "role": Role.MEMBER},
    )
    assert response.context["form"].errors["mobile"] == ["请输入有效的11位手机号码，例如 13812345678。"]
    assert (User.objects.count(), Membership.objects.count()) == (users, members)


def test_a_grid_head_cannot_promote_themselves_to_officer(world):
    # given a 网格长, who may look after the people of the grid but not change the grid itself
    grid = Organization.objects.create(name="经三路网格", kind=Kind.GRID, parent=world.east)
    head = MembershipFactory(
        organization=grid, role=Role.GRID_HEAD, user__full_name="张网格", user__mobile="13900001111"
    ).user
    client = as_user(head)
    assert client.get(f"/app/orgs/{grid.pk}/edit/").status_code == 403
    # when they add themselves to the grid as an officer
    client.post(
        f"/app/orgs/{grid.pk}/members/add/",
        {"full_name": "张网格", "mobile": "13900001111", "role": Role.OFFICER, "title": ""},
    )
    # then they have not gained the right to change the grid
    assert not Membership.objects.filter(user=head, role=Role.OFFICER).exists()
    assert as_user(head).get(f"/app/orgs/{grid.pk}/edit/").status_code == 403


# --- scope on the pages, and the audit trail ------------------------------------------------------------


def test_search_only_finds_what_the_user_may_see(world):
    # 文明办 = wmb: three offices exist, the east officer may see one
    response = as_user(world.east_officer).get("/app/orgs/", {"q": "wmb"})
    assert linked_orgs(section(response, "org-results")) == ["郑东新区文明办"]
    # 中原区文明办 exists but is outside the east officer's scope: as they type, nothing is found
    nothing = as_user(world.east_officer).get("/app/orgs/", {"q": "中原"}, HTTP_HX_REQUEST="true")
    assert "找到 0 个组织" in text(nothing) and "没有符合条件的组织" in text(nothing)


def test_the_org_page_shows_children_and_the_breadcrumbs_the_user_may_see(world):
    # when the east office is opened, then its team is listed below it
    page = as_user(world.east_officer).get(f"/app/orgs/{world.east.pk}/")
    assert linked_orgs(section(page, "children")) == ["青年志愿服务队（东）"]
    # and the team's breadcrumbs run from the city for the admin …
    assert crumbs(as_user(world.admin).get(f"/app/orgs/{world.east_team.pk}/")) == [
        "郑州市文明办",
        "郑东新区文明办",
    ]
    # … but from the east office for the east officer, who may not see the city office
    assert crumbs(as_user(world.east_officer).get(f"/app/orgs/{world.east_team.pk}/")) == ["郑东新区文明办"]


def test_an_officer_can_edit_the_office_their_role_sits_at(world):
    client = as_user(world.east_officer)
    # given the edit form as the browser shows it: the selected parent option is what the browser submits
    form = text(client.get(f"/app/orgs/{world.east.pk}/edit/"))
    select = re.search(r'<select name="parent".*?</select>', form, re.S).group(0)
    chosen = re.search(r'<option value="(\d*)" selected>', select) or re.search(
        r'<option value="(\d*)"', select
    )
    # the current parent is offered (kept as it is), no other organisation outside the officer's scope is
    assert chosen.group(1) == str(world.city.pk) and "中原区文明办" not in select
    # when the officer changes only the address
    response = client.post(
        f"/app/orgs/{world.east.pk}/edit/",
        org_form_data(world.east, parent=chosen.group(1), address="郑东新区商务内环路1号"),
    )
    # then it is saved and the office stays where it was
    assert response.status_code == 302
    world.east.refresh_from_db()
    assert world.east.address == "郑东新区商务内环路1号" and world.east.parent == world.city


def test_an_edit_is_signed_by_the_editor_and_shown_to_officers(world):
    # when the east officer changes the team's address through the form
    client = as_user(world.east_officer)
    response = client.post(
        f"/app/orgs/{world.east_team.pk}/edit/",
        org_form_data(world.east_team, address="如意湖街道"),
        follow=True,
    )
    assert "已保存。" in text(response)
    # then the history records the change, signed by them, and the page shows it in the history section
    latest = world.east_team.history.latest()
    assert latest.history_type == "~" and latest.address == "如意湖街道"
    assert latest.history_user == world.east_officer
    assert world.east_officer.display_name in section(response, "history")
    # a plain member sees the organisation but not its history
    member = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    assert 'id="history"' not in text(as_user(member).get(f"/app/orgs/{world.east_team.pk}/"))


# --- query counts: pages cost the same whatever the size of the tree ---------------------------------------


PAGES = {
    "tree": "/app/orgs/",
    "tree htmx": "/app/orgs/",
    "search": "/app/orgs/?q=xsdw",
    "kind filter": "/app/orgs/?kind=unit",
    "detail": "/app/orgs/{parent}/",
    "children": "/app/orgs/{parent}/children/",
    "grid detail": "/app/orgs/{grid}/",
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["east_officer", "admin"])
def test_pages_issue_the_same_number_of_queries_for_10_or_1000_organisations(
    world, page, who, django_assert_num_queries, django_assert_max_num_queries
):
    # given 10 units under the east office and 10 楼栋 in a 网格 there, each with a member
    grid = Organization.objects.create(name="经三路网格", kind=Kind.GRID, parent=world.east)
    add_children(world.east, 10)
    add_children(grid, 10, kind=Kind.BUILDING, prefix="楼栋")
    for building in grid.children.all()[:3]:
        MembershipFactory(organization=building, role=Role.BUILDING_HEAD)
    url = PAGES[page].format(parent=world.east.pk, grid=grid.pk)
    extra = {"HTTP_HX_REQUEST": "true"} if "htmx" in page else {}
    client = as_user(getattr(world, who))
    client.get(url, **extra)  # warm the caches every request shares (content types, translations)
    with django_assert_max_num_queries(15) as at_10:
        small = client.get(url, **extra)
    # when the tree grows to over a thousand organisations
    add_children(world.east, 990)
    add_children(grid, 990, kind=Kind.BUILDING, prefix="楼栋")
    # then the same page costs exactly as many queries
    with django_assert_num_queries(len(at_10)):
        large = client.get(url, **extra)
    assert small.status_code == large.status_code == 200
    shown = {"search": (10, 50), "kind filter": (10, 50), "children": (12, 50)}  # one page of 50 at most
    if page in shown:
        assert (len(linked_orgs(text(small))), len(linked_orgs(text(large)))) == shown[page]
    if page == "grid detail":
        assert "楼栋 3/1000 有楼栋长" in section(large, "coverage")
