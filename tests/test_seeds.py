from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import Api
from tests.factories import UserFactory
from zhiyuan.core.models import User
from zhiyuan.organizations import selectors
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.seeds.loader import load_seeds


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_load_seeds_twice_changes_nothing(db):
    call_command("load_seeds")
    first = _row_counts()
    tally = load_seeds()
    assert (tally.created, tally.updated) == (0, 0)
    assert _row_counts() == first


def test_seed_000_organisations_with_kinds_parents_and_agencies(db):
    load_seeds()
    admin = UserFactory(is_superuser=True)
    api, items, count = Api(admin), [], None
    while count is None or len(items) < count:  # the list pages by at most 200
        page = api.get(f"/organizations?limit=200&offset={len(items)}").json()
        items, count = items + page["items"], page["count"]
    by_name = {o["name"]: o for o in items}
    city = by_name["郑州市文明办"]
    assert city["kind"] == "office" and city["parent_id"] is None
    for district in [
        "中原区文明办",
        "金水区文明办",
        "二七区文明办",
        "管城区文明办",
        "火车站地区文明办",
        "郑东新区文明办",
        "惠济区文明办",
        "高新区文明办",
        "经开区文明办",
        "航空港区文明办",
    ]:
        assert by_name[district]["kind"] == "office"
        assert by_name[district]["parent_id"] == city["id"]
    brigades = {n: o for n, o in by_name.items() if o["kind"] == "brigade"}
    assert len(brigades) == 18
    assert brigades["巾帼志愿服务支队"]["parent_agency_name"] == "市妇联"
    assert brigades["慈善帮扶、为老志愿服务支队"]["parent_agency_name"] == "市民政局"
    assert brigades["郑州市党员志愿服务支队"]["parent_agency_name"] == "市委组织部"
    assert brigades["科普志愿服务支队"]["co_agency_ids"] == [by_name["市科技局"]["id"]]
    assert "人道援助志愿服务支队" in brigades["人道救助志愿服务支队"]["aliases"]
    for unit in ["市建委", "市人社局", "市交运委", "团市委"]:
        assert by_name[unit]["kind"] == "agency"
    assert by_name["郑州银行"]["kind"] == "unit"


def test_seed_001_squadron_people_departments_and_teams(db):
    load_seeds()
    centre = Organization.objects.get(name="郑州航空港经济综合实验区IT产业园社区服务中心")
    assert centre.parent.name == "航空港区文明办"
    squadron = Organization.objects.get(kind="squadron")
    assert squadron.parent == centre
    roles = {(m.user.full_name, m.role, m.title) for m in Membership.objects.filter(organization=squadron)}
    assert ("王继跃", "squadron_leader", "党工委书记") in roles
    deputies = {name for name, role, _ in roles if role == "deputy_squadron_leader"}
    assert len(deputies) == 9 and {"蔡莉", "张伟"} <= deputies
    assert {name for name, role, _ in roles if role == "office_director"} == {"张冬亮"}
    assert {name for name, role, _ in roles if role == "office_deputy"} == {"闫国坡", "刘洋洋"}
    departments = set(centre.children.filter(kind="unit").values_list("name", flat=True))
    assert departments >= {
        "党政办",
        "党建办",
        "社会事业部",
        "综治办",
        "安监办",
        "文宣办",
        "卫计办",
        "工会办",
        "纪检办",
    }
    teams = {t.name: t for t in squadron.children.filter(kind="team").select_related("parent_agency")}
    assert len(teams) == 16
    assert teams["“小红象”志愿服务队"].parent_agency.name == "综治办"
    assert [a.name for a in teams["“小红象”志愿服务队"].co_agencies.all()] == ["安监办"]
    assert teams["IT产业园社区服务中心“绿城妈妈”志愿者服务队"].parent_agency.name == "卫计办"


def test_pinyin_search_finds_the_squadron_leader_organisation(db):
    load_seeds()
    admin = UserFactory(is_superuser=True)
    names = [o.name for o in selectors.organization_list(user=admin, search="xhx")]
    assert "“小红象”志愿服务队" in names


def test_load_demo_is_idempotent_and_leaves_a_coverage_gap(db):
    call_command("load_demo", size="small")
    first = _row_counts()
    call_command("load_demo", size="small")
    assert _row_counts() == first
    grid = Organization.objects.get(name="第一网格（演示）")
    admin = UserFactory(is_superuser=True)
    coverage = selectors.grid_coverage(user=admin, grid=grid)
    assert coverage.buildings == 3 and 0 < coverage.buildings_covered < 3
    assert 0 < coverage.floors_covered < coverage.floors == 18
    # the seed document's real contact is never overwritten by invented ones
    assert Organization.objects.get(name="郑州市文明办").contacts.get(category="liaison").name == "王红彬"


def test_demo_has_a_booked_volunteer_and_a_reporting_liaison(db):
    from zhiyuan.campaigns.models import Signup
    from zhiyuan.reporting.selectors.my_dues import my_organizations

    call_command("load_demo", size="small")
    volunteer = User.objects.get(username="volunteer")
    assert volunteer.has_usable_password()
    booked = Signup.objects.filter(volunteer__user=volunteer, status=Signup.Status.ACCEPTED)
    assert booked.count() == 2
    assert all(s.shift.starts_at > timezone.now() for s in booked)
    liaison = User.objects.get(username="liaison")
    assert [o.name for o in my_organizations(liaison)] == ["市妇联"]
