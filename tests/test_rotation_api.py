"""The rotation from the workspace (issue 12 item 2): preview, generate, swap two units' days, and the
unit fills its row of attachment 5."""

from datetime import date

import pytest
from django.test import Client

from tests.factories import MembershipFactory, OrganizationFactory
from zhiyuan.campaigns.models import Campaign, Duty
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role


@pytest.fixture
def setup(world):
    city_officer = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    campaign = Campaign.objects.create(
        slug="chunyun-2027",
        title="2027年春运",
        organizer=world.city,
        anchor="spring_festival",
        starts_on=date(2027, 1, 22),
        ends_on=date(2027, 3, 2),
    )
    units = [
        world.east,
        world.west,
        OrganizationFactory(name="二七区文明办", kind=Kind.OFFICE, parent=world.city),
    ]
    return city_officer, campaign, units


def _body(units, **extra):
    return {
        "places": ["火车站", "火车东站"],
        "organization_ids": [u.pk for u in units],
        "start": "2027-02-03",
        "end": "2027-02-14",
        **extra,
    }


def test_the_preview_skips_spring_festival_and_writes_nothing_then_generate_writes(world, setup, api_as):
    officer, campaign, units = setup
    api = api_as(officer)
    preview = api.post("/campaigns/chunyun-2027/rotation", _body(units))
    assert preview.status_code == 200, preview.content
    turns = preview.json()["turns"]
    days = [t["day"] for t in turns]
    # 春节 2027 (estimated 2/5 除夕 to 2/11) is skipped; the places keep alternating across it
    assert days == ["2027-02-03", "2027-02-04", "2027-02-12", "2027-02-13", "2027-02-14"]
    assert [t["place"] for t in turns] == ["火车站", "火车东站", "火车站", "火车东站", "火车站"]
    assert [t["organization_id"] for t in turns][:4] == [units[0].pk, units[1].pk, units[2].pk, units[0].pk]
    assert not Duty.objects.exists()
    written = api.post("/campaigns/chunyun-2027/rotation", _body(units, dry_run=False))
    assert written.json()["written"] is True and campaign.duties.count() == 5


def test_two_units_swap_their_days(world, setup, api_as):
    officer, campaign, units = setup
    api = api_as(officer)
    api.post("/campaigns/chunyun-2027/rotation", _body(units, dry_run=False))
    first, second = campaign.duties.order_by("date")[:2]
    swapped = api.post(
        "/campaigns/chunyun-2027/rotation/swap", {"first_id": first.pk, "second_id": second.pk}
    )
    assert swapped.status_code == 200, swapped.content
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.date, first.responsible_id) == (date(2027, 2, 3), units[1].pk)
    assert (second.date, second.responsible_id) == (date(2027, 2, 4), units[0].pk)


def test_bad_rotations_are_refused_in_chinese(world, setup, api_as):
    officer, _campaign, units = setup
    api = api_as(officer)
    body = _body(units, start="2027-04-01")
    body.pop("end")  # (an explicit null for a date is read as "" by core.api.Strict: a 422 of its own)
    outside = api.post("/campaigns/chunyun-2027/rotation", body)
    assert outside.status_code == 422 and "活动期间之内" in str(outside.json())
    late = api.post("/campaigns/chunyun-2027/rotation", _body(units, end="2027-05-01"))
    assert late.status_code == 422 and "不能晚于活动结束日期" in str(late.json())


def test_ids_of_another_subtree_are_not_found(world, setup, api_as):
    officer, campaign, units = setup
    west = api_as(world.west_officer)
    # the west officer sees the city campaign through no role: not found
    assert west.post("/campaigns/chunyun-2027/rotation", _body(units)).status_code == 404
    east_campaign = Campaign.objects.create(
        slug="east-2027",
        title="东区",
        organizer=world.east,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    east = api_as(world.east_officer)
    named_west = east.post(f"/campaigns/{east_campaign.slug}/rotation", _body([world.east, world.west]))
    assert named_west.status_code == 422 and "未找到单位" in str(named_west.json())
    api_as(officer).post("/campaigns/chunyun-2027/rotation", _body(units, dry_run=False))
    city_duty = campaign.duties.first()
    east.post(
        f"/campaigns/{east_campaign.slug}/rotation", _body([world.east, world.east_team], dry_run=False)
    )
    own = east_campaign.duties.first()
    swap = east.post(
        f"/campaigns/{east_campaign.slug}/rotation/swap", {"first_id": own.pk, "second_id": city_duty.pk}
    )
    assert swap.status_code == 404


def test_the_pages_preview_generate_and_let_the_unit_fill_its_day(
    world, setup, django_assert_max_num_queries
):
    officer, campaign, units = setup
    client = Client()
    client.force_login(officer)
    assert "/rotation/lay/" in client.get("/app/campaigns/chunyun-2027/rotation/").content.decode()
    data = {
        "places": "火车站\n火车东站",
        "units": "\n".join(u.name for u in units),
        "start": "2027-02-03",
        "end": "2027-02-14",
        "skip_holidays": "on",
        "preview": "1",
    }
    page = client.post("/app/campaigns/chunyun-2027/rotation/lay/", data)
    assert page.status_code == 200 and "确认生成" in page.content.decode() and not Duty.objects.exists()
    data.pop("preview")
    data["write"] = "1"
    assert client.post("/app/campaigns/chunyun-2027/rotation/lay/", data).status_code == 302
    with django_assert_max_num_queries(20):
        client.get("/app/campaigns/chunyun-2027/rotation/")
    # the east office's 具体负责人 fills its day's 活动内容 and 联系人及方式 (duty.change)
    liaison = MembershipFactory(organization=world.east, role=Role.PERSON_IN_CHARGE).user
    duty = campaign.duties.filter(responsible=world.east).first()
    unit = Client()
    unit.force_login(liaison)
    filled = unit.post(
        f"/app/duties/{duty.pk}/fill/",
        {"content": "引导旅客、免费热水", "contact_name": "王红彬", "contact_phone": "13800138000"},
    )
    assert filled.status_code == 302, filled.content.decode()[:500]
    duty.refresh_from_db()
    assert duty.content == "引导旅客、免费热水" and duty.contact_name == "王红彬"
