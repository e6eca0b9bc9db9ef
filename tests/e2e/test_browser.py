"""End to end on a phone: log in, walk the tree, keep a contact sheet, search, and stay inside one's subtree.

Each test drives Debian's headless Chromium at 375x812 against pytest-django's live server and leaves a
screenshot in test-results/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_horizontal_scroll, login, make_user, officer_of
from tests.factories import MembershipFactory, OrganizationFactory, UnitContactFactory
from zhiyuan.organizations.models import Kind, Organization, UnitContact
from zhiyuan.organizations.roles import Role

pytestmark = pytest.mark.e2e


@dataclass
class Zhengzhou:
    city: Organization  # 郑州市文明办
    east: Organization  # 郑东新区文明办, under the city
    east_team: Organization  # a volunteer team under 郑东新区
    west: Organization  # 中原区文明办, the city's other subtree
    officer: Any  # officer at the city office: sees the whole tree
    west_officer: Any  # officer at 中原区 only


@pytest.fixture
def zhengzhou(transactional_db: None) -> Zhengzhou:
    city = OrganizationFactory(name="郑州市文明办", kind=Kind.OFFICE)
    east = OrganizationFactory(name="郑东新区文明办", kind=Kind.OFFICE, parent=city)
    east_team = OrganizationFactory(name="如意湖青年志愿服务队", kind=Kind.TEAM, parent=east)
    west = OrganizationFactory(name="中原区文明办", kind=Kind.OFFICE, parent=city)
    officer = officer_of(city, username="zz_officer", full_name="王继跃")
    west_officer = officer_of(west, username="zy_officer", full_name="李中原")
    return Zhengzhou(city, east, east_team, west, officer, west_officer)


def _node(page: Page, name: str) -> Any:
    """The tree's <li> whose own link (not a descendant's) is `name`."""
    return page.locator("#tree li").filter(
        has=page.locator(":scope > .node > a", has_text=re.compile(f"^{re.escape(name)}$"))
    )


def test_officer_logs_in_expands_the_tree_and_opens_a_child(
    page: Page, live_server: Any, zhengzhou: Zhengzhou, screenshot: Any
) -> None:
    login(page, zhengzhou.officer)
    page.get_by_role("navigation", name="工作台菜单").get_by_role(
        "link", name="组织"
    ).click()  # from the landing page

    roots = page.locator("ul#tree > li")
    expect(roots).to_have_count(1)
    city = _node(page, "郑州市文明办")
    toggle = city.locator(":scope > .node > button.toggle")
    children = city.locator(":scope > ul")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()
    expect(page.get_by_role("link", name="郑东新区文明办")).to_have_count(0)

    toggle.click()  # htmx fetches /app/orgs/<city>/children/ into the <ul> below
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(children).to_be_visible()
    expect(children.get_by_role("link", name="郑东新区文明办", exact=True)).to_be_visible()
    expect(children.get_by_role("link", name="中原区文明办", exact=True)).to_be_visible()

    east = _node(page, "郑东新区文明办")  # one level deeper, loaded the same way
    east.locator(":scope > .node > button.toggle").click()
    expect(east.get_by_role("link", name="如意湖青年志愿服务队")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("tree")

    toggle.click()  # collapses again without another request
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()
    toggle.click()

    children.get_by_role("link", name="郑东新区文明办", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/app/orgs/{zhengzhou.east.pk}/")
    expect(page.locator("h1")).to_contain_text("郑东新区文明办")
    expect(page.locator(".crumbs")).to_contain_text("郑州市文明办")
    for section in ("#members", "#contacts", "#children"):
        expect(page.locator(section)).to_be_visible()
    expect(page.locator("#children").get_by_role("link", name="如意湖青年志愿服务队")).to_be_visible()
    expect(page.locator("#contacts").get_by_role("link", name="添加联系人")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("org")


def test_officer_adds_a_contact_after_fixing_the_office_phone(
    page: Page, live_server: Any, zhengzhou: Zhengzhou, screenshot: Any
) -> None:
    east = zhengzhou.east
    login(page, zhengzhou.officer)
    page.goto(f"/app/orgs/{east.pk}/")
    expect(page.locator("#contacts .empty")).to_contain_text("尚未填写联系人")

    page.locator("#contacts").get_by_role("link", name="添加联系人").click()
    expect(page).to_have_url(f"{live_server.url}/app/orgs/{east.pk}/contacts/add/")
    page.locator("#id_category").select_option("liaison")
    page.locator("#id_name").fill("张 晓 明")
    page.locator("#id_title").fill("宣传科科员")
    page.locator("#id_office_phone").fill("67186891")  # no area code
    page.locator("#id_mobile").fill("138 1234 5678")
    page.get_by_role("button", name="保存").click()

    # Redisplayed with the error on the office phone only, and what was typed still there.
    expect(page).to_have_url(f"{live_server.url}/app/orgs/{east.pk}/contacts/add/")
    office_field = page.locator(".field", has=page.locator("#id_office_phone"))
    expect(office_field).to_have_class(re.compile(r"\binvalid\b"))
    expect(office_field.locator("p.error")).to_have_text("请输入带区号的固定电话号码，例如 0371-67186891。")
    expect(page.locator("p.error")).to_have_count(1)
    expect(page.locator("#id_category")).to_have_value("liaison")
    expect(page.locator("#id_name")).to_have_value("张 晓 明")
    expect(page.locator("#id_office_phone")).to_have_value("67186891")
    assert_no_horizontal_scroll(page)
    screenshot("error")
    assert not UnitContact.objects.filter(organization=east).exists()

    page.locator("#id_office_phone").fill("0371-67186891")
    page.locator("#id_mobile").fill("13812345678")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(f"{live_server.url}/app/orgs/{east.pk}/")
    expect(page.locator(".messages")).to_contain_text("联系人已保存。")
    row = page.locator("#contacts table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text(
        ["联络员", "张晓明", "宣传科科员", "0371-67186891", "13812345678", "修改"]
    )
    expect(row.locator('a[href="tel:0371-67186891"]')).to_be_visible()
    expect(row.locator('a[href="tel:13812345678"]')).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("saved")

    contact = UnitContact.objects.get(organization=east)
    assert (contact.category, contact.name, contact.office_phone, contact.mobile) == (
        "liaison",
        "张晓明",
        "0371-67186891",
        "13812345678",
    )


def test_search_finds_an_organisation_by_pinyin_initials(
    page: Page, live_server: Any, zhengzhou: Zhengzhou, screenshot: Any
) -> None:
    login(page, zhengzhou.officer)
    page.get_by_role("navigation", name="工作台菜单").get_by_role(
        "link", name="组织"
    ).click()  # from the landing page

    page.locator("#org-q").press_sequentially("zdxq", delay=30)
    results = page.locator("#org-results")
    expect(results).to_contain_text("找到 1 个组织")
    expect(results.get_by_role("link")).to_have_text(["郑东新区文明办"])
    expect(results).to_contain_text("上级：郑州市文明办")
    expect(page.locator("#tree")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/app/orgs/\?(.*&)?q=zdxq"))  # hx-push-url keeps it shareable
    assert_no_horizontal_scroll(page)
    screenshot("results")

    page.reload()  # the pushed URL renders the same results without htmx
    expect(page.locator("#org-q")).to_have_value("zdxq")
    expect(page.locator("#org-results").get_by_role("link")).to_have_text(["郑东新区文明办"])

    page.locator("#org-q").fill("zdxqxyz")
    expect(results.locator(".empty")).to_contain_text("没有符合条件的组织")

    page.locator("#org-q").fill("zhengdong")  # full pinyin works too
    results.get_by_role("link", name="郑东新区文明办").click()
    expect(page).to_have_url(f"{live_server.url}/app/orgs/{zhengzhou.east.pk}/")


def test_officer_of_another_subtree_gets_404(
    page: Page, live_server: Any, zhengzhou: Zhengzhou, screenshot: Any
) -> None:
    login(page, zhengzhou.west_officer)
    page.get_by_role("navigation", name="工作台菜单").get_by_role(
        "link", name="组织"
    ).click()  # from the landing page
    expect(page.locator("ul#tree > li")).to_have_count(1)
    expect(page.locator("ul#tree").get_by_role("link")).to_have_text(["中原区文明办"])

    for path in (
        f"/app/orgs/{zhengzhou.city.pk}/",
        f"/app/orgs/{zhengzhou.east.pk}/",
        f"/app/orgs/{zhengzhou.east.pk}/contacts/add/",
        f"/app/orgs/{zhengzhou.east.pk}/children/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 404, (path, response and response.status)
        expect(page.locator("h1")).to_have_text("未找到")
        expect(page.locator("main")).to_contain_text("您要找的页面不存在，或您没有权限查看。")
        expect(page.locator("main")).not_to_contain_text("郑东新区")
        expect(page.locator("main")).not_to_contain_text("郑州市文明办")
    assert_no_horizontal_scroll(page)
    screenshot("404")

    page.goto(f"/app/orgs/{zhengzhou.west.pk}/")  # their own subtree still opens
    expect(page.locator("h1")).to_contain_text("中原区文明办")


def test_pages_fit_a_375px_phone(page: Page, live_server: Any, zhengzhou: Zhengzhou, screenshot: Any) -> None:
    """Nothing scrolls sideways, even with long names, a full contact sheet and a list of members."""
    east = zhengzhou.east
    east.address = "郑州市郑东新区商务外环路与商务内环路交叉口郑州市民之家东区三楼"
    east.phone = "0371-67186891"
    east.email = "zhengdongxinquwenmingban.volunteer-service@example.gov.cn"
    east.aliases = "郑州市郑东新区精神文明建设指导委员会办公室\n郑东新区精神文明建设办公室"
    east.save()
    long_team = OrganizationFactory(
        name="郑州市郑东新区如意湖街道办事处龙湖社区新时代文明实践志愿服务队", kind=Kind.TEAM, parent=east
    )
    for category, name in (
        ("leader_in_charge", "欧阳建国"),
        ("person_in_charge", "司马长风"),
        ("liaison", "张晓明"),
        ("reporter", "李信息"),
    ):
        UnitContactFactory(organization=east, category=category, name=name, title="郑东新区文明办综合协调科")
    for _ in range(3):
        MembershipFactory(
            organization=east, role=Role.VOLUNTEER, title="志愿服务项目负责人（长期）", user=make_user()
        )

    login(page, zhengzhou.officer)
    assert_no_horizontal_scroll(page)  # the landing page
    page.goto("/app/orgs/")
    assert_no_horizontal_scroll(page)
    for name in ("郑州市文明办", "郑东新区文明办"):
        node = _node(page, name)
        node.locator(":scope > .node > button.toggle").click()
        expect(node.locator(":scope > ul > li").first).to_be_visible()
    expect(page.get_by_role("link", name=long_team.name)).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("tree")

    page.goto(f"/app/orgs/{east.pk}/")
    expect(page.locator("#contacts table tbody tr")).to_have_count(4)
    assert_no_horizontal_scroll(page)
    screenshot("org")

    page.goto(f"/app/orgs/{long_team.pk}/")
    expect(page.locator("h1")).to_contain_text(long_team.name)
    assert_no_horizontal_scroll(page)
