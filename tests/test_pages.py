"""The workspace pages under /app/: what a signed-in person sees and can do in the organisation registry."""

import html
import re

import pytest
from django.test import Client

from tests.factories import MembershipFactory, OrganizationFactory, UnitContactFactory, UserFactory
from zhiyuan.core.search import search_text
from zhiyuan.organizations.models import ContactCategory, Kind, Organization, UnitContact
from zhiyuan.organizations.roles import Role

ORG_LINK = re.compile(r'<a href="/app/orgs/(\d+)/">([^<]+)</a>')
ORG_FIELDS = (
    "name",
    "kind",
    "parent",
    "parent_agency",
    "aliases",
    "address",
    "phone",
    "email",
    "description",
)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def linked_orgs(fragment: str) -> list[str]:
    """Names of the organisations linked from a piece of page, in page order."""
    return [html.unescape(name) for _, name in ORG_LINK.findall(fragment)]


def section(response, section_id: str) -> str:
    match = re.search(rf'<section class="card" id="{section_id}".*?</section>', text(response), re.S)
    assert match, f"no section #{section_id}"
    return match.group(0)


def org_form_data(org: Organization, **changes) -> dict:
    data = {f: getattr(org, f) or "" for f in ORG_FIELDS}
    data["parent"] = org.parent_id or ""
    data["parent_agency"] = org.parent_agency_id or ""
    return {**data, **changes}


def crumbs(response) -> list[str]:
    return linked_orgs(re.search(r'<p class="crumbs">.*?</p>', text(response), re.S).group(0))


def add_children(parent: Organization, count: int, kind: str = Kind.UNIT, prefix: str = "下属单位") -> None:
    """`count` more children of `parent`, fast: bulk_create skips save(), so set search and path here."""
    start = parent.children.count()
    names = [f"{prefix}{i:04d}" for i in range(start, start + count)]
    Organization.objects.bulk_create(
        Organization(name=n, kind=kind, parent=parent, search=search_text(n)) for n in names
    )
    fresh = list(Organization.objects.filter(parent=parent, path=""))
    for org in fresh:
        org.path = f"{parent.path}{org.pk}/"
    Organization.objects.bulk_update(fresh, ["path"], batch_size=500)


# --- signing in -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/app/", "/app/orgs/", "/app/orgs/1/", "/app/orgs/new/", "/app/orgs/1/children/"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, path):
    # when someone who has not signed in opens a workspace page
    response = client.get(path, follow=True)
    # then they land on the login page
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert response.status_code == 200 and 'name="password"' in text(response)


def test_the_login_page_renders(client, db):
    # when anyone opens the login page, then it offers a username and password form
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in text(response) and 'name="username"' in text(response)


def test_logging_in_with_the_right_password_opens_the_workspace(client, db):
    # given a person with a password
    person = UserFactory(full_name="王继跃")
    # when they log in
    response = client.post("/accounts/login/", {"username": person.username, "password": "pass-word-123"})
    # then they land on the workspace
    assert response.status_code == 302 and response["Location"] == "/app/"
    # and someone sent to the login page from a deep link is taken back there
    other = Client()
    login = other.get("/app/orgs/", {"q": "zdxq"}, follow=True)
    back = other.post(
        login.redirect_chain[-1][0],
        {"username": person.username, "password": "pass-word-123", "next": login.context["next"]},
    )
    assert back["Location"] == "/app/orgs/?q=zdxq"
    # and a wrong password keeps them on the login page
    wrong = Client().post("/accounts/login/", {"username": person.username, "password": "nope"})
    assert wrong.status_code == 200 and "_auth_user_id" not in wrong.client.session


# --- the tree page ----------------------------------------------------------------------------------------


def test_an_officer_sees_their_own_office_as_the_root(world):
    # when the east officer opens the tree, then it starts at their office, without the city or the west
    response = as_user(world.east_officer).get("/app/orgs/")
    assert linked_orgs(text(response)) == ["郑东新区文明办"]
    assert "新建顶级组织" not in text(response)


def test_a_superuser_sees_the_city_office_at_the_top(world):
    # when the platform admin opens the tree, then it starts at the real root and offers a new root
    response = as_user(world.admin).get("/app/orgs/")
    assert linked_orgs(text(response)) == ["郑州市文明办"]
    assert "新建顶级组织" in text(response)


def test_someone_without_any_role_is_told_to_ask_for_one(world):
    # given a signed-in person with no membership, when they open the tree, then they are told what to do
    response = as_user(UserFactory()).get("/app/orgs/")
    assert linked_orgs(text(response)) == []
    assert "您还不属于任何组织。请联系所在单位的管理员为您分配角色。" in text(response)


@pytest.mark.parametrize("query", ["郑东", "zdxq", "ZDXQ", "zhengdongxinqu", "zheng dong xin qu"])
def test_search_finds_an_office_by_name_initials_or_pinyin(world, query):
    # when the admin searches by characters, initials or full pinyin, then only 郑东新区文明办 is found
    response = as_user(world.admin).get("/app/orgs/", {"q": query})
    assert linked_orgs(section(response, "org-results")) == ["郑东新区文明办"]
    assert "找到 1 个组织" in text(response)


def test_a_search_without_results_says_so_on_the_full_page(world):
    # when the officer submits a search that matches nothing they may see (no JavaScript, full page)
    response = as_user(world.east_officer).get("/app/orgs/", {"q": "中原"})
    # then the page says nothing was found, not that they belong to no organisation
    results = section(response, "org-results")
    assert "没有符合条件的组织" in results and "您还不属于任何组织" not in results


def test_the_kind_filter_keeps_one_kind(world):
    # when filtering by 志愿服务队, then only teams are listed, and only those in the user's scope
    everyone = as_user(world.admin).get("/app/orgs/", {"kind": Kind.TEAM})
    assert set(linked_orgs(section(everyone, "org-results"))) == {
        "青年志愿服务队（东）",
        "巾帼志愿服务队（西）",
    }
    east = as_user(world.east_officer).get("/app/orgs/", {"kind": Kind.TEAM})
    assert linked_orgs(section(east, "org-results")) == ["青年志愿服务队（东）"]


def test_htmx_requests_get_only_the_fragment(world):
    # when htmx asks for the tree or the results as the user types, then it gets the fragment, not a page
    client = as_user(world.east_officer)
    roots = client.get("/app/orgs/", HTTP_HX_REQUEST="true")
    assert "<html" not in text(roots) and 'id="tree"' in text(roots)
    assert linked_orgs(text(roots)) == ["郑东新区文明办"]
    results = client.get("/app/orgs/", {"q": "zdxq"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(results) and "找到 1 个组织" in text(results)
    assert "<html" in text(client.get("/app/orgs/", {"q": "zdxq"}))


def test_expanding_a_node_lists_its_children_fifty_at_a_time(world):
    # when a node is expanded, then its children come as a fragment
    client = as_user(world.east_officer)
    first = client.get(f"/app/orgs/{world.east.pk}/children/")
    assert linked_orgs(text(first)) == ["青年志愿服务队（东）"] and "加载更多" not in text(first)
    assert "<html" not in text(first)
    # given 51 more children under the east team
    add_children(world.east_team, 51)
    # then the first 50 come with a "load more" button, and the next page brings the last one
    page1 = client.get(f"/app/orgs/{world.east_team.pk}/children/")
    assert len(linked_orgs(text(page1))) == 50 and "加载更多" in text(page1)
    assert f"/app/orgs/{world.east_team.pk}/children/?page=2" in text(page1)
    page2 = client.get(f"/app/orgs/{world.east_team.pk}/children/", {"page": 2})
    assert linked_orgs(text(page2)) == ["下属单位0050"] and "加载更多" not in text(page2)


# --- the organisation page --------------------------------------------------------------------------------


def test_the_org_page_groups_members_by_role(world):
    # given the east office has an officer, a 成员 and a 联络员
    MembershipFactory(organization=world.east, role=Role.MEMBER, user=UserFactory(full_name="王继跃"))
    MembershipFactory(
        organization=world.east, role=Role.LIAISON, user=UserFactory(full_name="李联络"), title="科员"
    )
    # when the officer opens the office, then each person is listed under the heading of their role
    members = section(as_user(world.east_officer).get(f"/app/orgs/{world.east.pk}/"), "members")
    groups = {part.split("</h3>")[0]: part for part in members.split('<h3 class="muted">')[1:]}
    assert set(groups) == {"成员", "联络员", "文明办工作人员"}
    assert "王继跃" in groups["成员"] and "李联络" in groups["联络员"] and "科员" in groups["联络员"]
    assert world.east_officer.display_name in groups["文明办工作人员"] and "王继跃" not in groups["联络员"]


def test_contacts_are_listed_in_the_order_of_attachment_2(world):
    # given the four contacts entered in reverse order
    for category, name in [
        ("reporter", "赵上报"),
        ("liaison", "钱联络"),
        ("person_in_charge", "孙负责"),
        ("leader_in_charge", "李领导"),
    ]:
        UnitContactFactory(organization=world.east, category=category, name=name)
    # when the page is opened, then they follow attachment 2: 主管领导, 具体负责人, 联络员, 信息上报人员
    contacts = section(as_user(world.east_officer).get(f"/app/orgs/{world.east.pk}/"), "contacts")
    categories = re.findall(r'<td data-label="类别">(.*?)</td>', contacts)
    assert categories == ["主管领导", "具体负责人", "联络员", "信息上报人员"]
    assert [contacts.index(n) for n in ("李领导", "孙负责", "钱联络", "赵上报")] == sorted(
        contacts.index(n) for n in ("李领导", "孙负责", "钱联络", "赵上报")
    )


def test_a_grid_page_shows_which_buildings_and_floors_lack_a_head(world):
    # given a 网格 with two 楼栋; 1号楼 has a 楼栋长 and two 楼层, only one of which has a 楼层长
    grid = OrganizationFactory(name="经三路网格", kind=Kind.GRID, parent=world.east)
    one = OrganizationFactory(name="1号楼", kind=Kind.BUILDING, parent=grid)
    two = OrganizationFactory(name="2号楼", kind=Kind.BUILDING, parent=grid)
    floor1 = OrganizationFactory(name="1号楼1层", kind=Kind.FLOOR, parent=one)
    OrganizationFactory(name="1号楼2层", kind=Kind.FLOOR, parent=one)
    MembershipFactory(organization=grid, role=Role.GRID_HEAD, user=UserFactory(full_name="张网格"))
    MembershipFactory(organization=one, role=Role.BUILDING_HEAD, user=UserFactory(full_name="李楼栋"))
    MembershipFactory(organization=floor1, role=Role.FLOOR_HEAD, user=UserFactory(full_name="王楼层"))
    MembershipFactory(organization=two, role=Role.MEMBER, user=UserFactory(full_name="赵居民"))  # not a head
    # when the officer opens the grid
    coverage = section(as_user(world.east_officer).get(f"/app/orgs/{grid.pk}/"), "coverage")
    # then the counts, the heads and the gaps are shown
    assert "楼栋 1/2 有楼栋长，楼层 1/2 有楼层长" in coverage and "张网格" in coverage
    building = {linked_orgs(li)[0]: li for li in coverage.split("<li>")[1:]}
    assert "楼栋长：李楼栋" in building["1号楼"] and "缺楼栋长" not in building["1号楼"]
    assert "缺楼栋长" in building["2号楼"]
    assert "1号楼2层 · 缺楼层长" in building["1号楼"] and "1号楼1层 · 缺楼层长" not in building["1号楼"]
    # and an office is not a grid: no coverage section
    assert 'id="coverage"' not in text(as_user(world.east_officer).get(f"/app/orgs/{world.east.pk}/"))


# --- creating, editing and deleting organisations ---------------------------------------------------------


def test_an_officer_adds_a_child_from_the_parent_page(world):
    client = as_user(world.east_officer)
    # given the form opened from 郑东新区文明办's "添加下级组织"
    form = client.get(f"/app/orgs/new/?parent={world.east.pk}")
    assert f'<option value="{world.east.pk}" selected>' in text(form)
    # when the officer saves a new team under it
    response = client.post(
        f"/app/orgs/new/?parent={world.east.pk}",
        {"name": " 金水河志愿服务队 ", "kind": Kind.TEAM, "parent": world.east.pk},
        follow=True,
    )
    # then it exists under the east office and its page says so
    created = Organization.objects.get(name="金水河志愿服务队")
    assert created.parent == world.east and created.path.startswith(world.east.path)
    assert response.redirect_chain[-1][0] == f"/app/orgs/{created.pk}/"
    assert "已创建“金水河志愿服务队”。" in text(response)


def test_a_duplicate_name_under_the_same_parent_is_refused_on_the_form(world):
    before = Organization.objects.count()
    response = as_user(world.east_officer).post(
        "/app/orgs/new/", {"name": "青年志愿服务队（东）", "kind": Kind.TEAM, "parent": world.east.pk}
    )
    assert response.status_code == 200 and "同一上级组织下已有同名组织。" in text(response)
    assert Organization.objects.count() == before


def test_moving_an_org_under_its_own_descendant_is_refused_on_the_form(world):
    # given the east team has a 分队 below it
    grandchild = OrganizationFactory(name="东区一分队", kind=Kind.TEAM, parent=world.east_team)
    client = as_user(world.east_officer)
    # when the officer tries to move the team under that 分队, or under itself, then the form says why not
    for target in (grandchild, world.east_team):
        response = client.post(
            f"/app/orgs/{world.east_team.pk}/edit/", org_form_data(world.east_team, parent=target.pk)
        )
        assert response.status_code == 200
        assert "不能把组织移到它自己或它的下级组织之下。" in text(response)
        assert response.context["form"].errors["parent"] == ["不能把组织移到它自己或它的下级组织之下。"]
    # and the team has not moved
    world.east_team.refresh_from_db()
    assert (
        world.east_team.parent == world.east
        and world.east_team.path == f"{world.east.path}{world.east_team.pk}/"
    )


def test_deleting_an_org_with_children_or_members_is_refused_with_a_message(world):
    # given a team with a 分队 below it, and a unit with a member
    client = as_user(world.east_officer)
    OrganizationFactory(name="东区一分队", kind=Kind.TEAM, parent=world.east_team)
    staffed = OrganizationFactory(name="东区办公室", kind=Kind.UNIT, parent=world.east)
    MembershipFactory(organization=staffed, role=Role.MEMBER)
    for org, message in [
        (world.east_team, "“青年志愿服务队（东）”还有下级组织，请先移走或删除下级组织。"),
        (staffed, "“东区办公室”还有成员，请先移除成员。"),
    ]:
        # when the officer deletes either, then they are back on its page with the reason, and it remains
        response = client.post(f"/app/orgs/{org.pk}/delete/", follow=True)
        assert response.redirect_chain[-1][0] == f"/app/orgs/{org.pk}/"
        assert message in text(response)
        assert Organization.objects.filter(pk=org.pk).exists()


def test_deleting_an_empty_org_works_and_returns_to_its_parent(world):
    # given an empty unit, when the officer deletes it, then it is gone and they are on the parent's page
    empty = OrganizationFactory(name="临时工作组", kind=Kind.UNIT, parent=world.east)
    response = as_user(world.east_officer).post(f"/app/orgs/{empty.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == f"/app/orgs/{world.east.pk}/"
    assert "已删除“临时工作组”。" in text(response)
    assert not Organization.objects.filter(pk=empty.pk).exists()
    assert as_user(world.east_officer).get("/app/orgs/", {"q": "临时"}).context["page"].paginator.count == 0


# --- the contact sheet ------------------------------------------------------------------------------------

CONTACT = {"category": ContactCategory.LIAISON, "name": "钱联络", "title": "科员", "mobile": ""}


def test_an_office_phone_without_area_code_is_refused(world):
    # when the office phone lacks its area code, then the field asks for one and nothing is saved
    response = as_user(world.east_officer).post(
        f"/app/orgs/{world.east.pk}/contacts/add/", {**CONTACT, "office_phone": "67186891"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["office_phone"] == [
        "请输入带区号的固定电话号码，例如 0371-67186891。"
    ]
    assert "请输入带区号的固定电话号码" in text(response)
    assert not UnitContact.objects.exists()


def test_a_valid_office_phone_is_saved_in_standard_form(world):
    # when the office phone is typed without the dash, then it is stored and shown as 0371-67186891
    response = as_user(world.east_officer).post(
        f"/app/orgs/{world.east.pk}/contacts/add/", {**CONTACT, "office_phone": "037167186891"}, follow=True
    )
    contact = UnitContact.objects.get(organization=world.east)
    assert (contact.category, contact.name, contact.office_phone) == ("liaison", "钱联络", "0371-67186891")
    assert "联系人已保存。" in text(response) and "0371-67186891" in section(response, "contacts")


def test_a_second_contact_of_the_same_category_is_refused(world):
    # given a 联络员 exists; when another 联络员 is added, then the category field says to edit the first
    UnitContactFactory(organization=world.east, category=ContactCategory.LIAISON, name="钱联络")
    response = as_user(world.east_officer).post(
        f"/app/orgs/{world.east.pk}/contacts/add/",
        {**CONTACT, "name": "孙联络", "office_phone": "0371-67186892"},
    )
    assert response.context["form"].errors["category"] == ["该单位已填写此类别的联系人，请直接修改。"]
    assert list(UnitContact.objects.values_list("name", flat=True)) == ["钱联络"]


def test_editing_a_contact_checks_and_normalises_the_phone(world):
    contact = UnitContactFactory(organization=world.east, category=ContactCategory.LIAISON, name="钱联络")
    # when the officer edits a contact: a bad number is refused and kept as it was, a good one is normalised
    client, url = as_user(world.east_officer), f"/app/contacts/{contact.pk}/edit/"
    assert 'value="钱联络"' in text(client.get(url))
    bad = client.post(url, {**CONTACT, "office_phone": "67186891"})
    assert bad.context["form"].errors["office_phone"] == ["请输入带区号的固定电话号码，例如 0371-67186891。"]
    contact.refresh_from_db()
    assert contact.office_phone == "0371-67186891"
    client.post(url, {**CONTACT, "office_phone": "0371 6718 6999"})
    contact.refresh_from_db()
    assert contact.office_phone == "0371-67186999"


def test_the_org_page_pages_through_many_children(world):
    # given an office with 120 child units
    add_children(world.east, 120)
    client = as_user(world.east_officer)
    # then its page shows the first 50, and the third page the rest, with the team among them
    first = section(client.get(f"/app/orgs/{world.east.pk}/"), "children")
    assert len(linked_orgs(first)) == 50 and "1 / 3" in first
    last = section(client.get(f"/app/orgs/{world.east.pk}/", {"children_page": 3}), "children")
    assert len(linked_orgs(last)) == 21 and "3 / 3" in last
