from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Api
from tests.factories import MembershipFactory, UserFactory
from zhiyuan.campaigns.models import Campaign, Duty, DutyFiling
from zhiyuan.campaigns.services.duties import duty_done, duty_file, duty_update
from zhiyuan.campaigns.services.rotation import RotationSpec, rotation_plan, rotation_write
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.roles import Role


@pytest.fixture
def rotation(world):
    """A campaign of the city office whose next three days are served by east, west, east."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="test-rotation",
        title="测试春运",
        organizer=world.city,
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    spec = RotationSpec(
        organizations=[world.east, world.west, world.east],
        places=["火车站", "火车东站"],
        start=today + timedelta(days=1),
    )
    rotation_write(by=None, campaign=campaign, turns=rotation_plan(spec))
    return campaign


def _duty(campaign, n):
    return campaign.duties.order_by("date")[n]


def test_a_postponement_needs_prior_filing_and_a_free_day(world, rotation):
    first = _duty(rotation, 0)
    # two days later the same place (火车站) is taken by the third duty: a clash
    with pytest.raises(ValidationError) as exc:
        duty_file(
            by=world.east_officer,
            duty=first,
            kind="postpone",
            reason="严重雾霾",
            new_date=first.date + timedelta(days=2),
        )
    assert "已安排" in exc.value.message_dict["new_date"][0]
    filing = duty_file(
        by=world.east_officer,
        duty=first,
        kind="postpone",
        reason="严重雾霾",
        weather="重度污染",
        new_date=first.date + timedelta(days=5),
    )
    first.refresh_from_db()
    assert (first.status, first.postponed_to, filing.filed_by) == (
        "postponed",
        first.date + timedelta(days=5),
        world.east_officer,
    )
    moved = rotation.duties.get(date=first.date + timedelta(days=5))
    assert (moved.status, moved.responsible) == ("planned", world.east)


def test_filing_on_or_after_the_day_is_refused(world, rotation):
    first = _duty(rotation, 0)
    with pytest.raises(Refused, match="之前"):
        duty_file(by=world.east_officer, duty=first, kind="cancel", reason="雾霾", today=first.date)
    assert not DutyFiling.objects.exists()


def test_cancelling_needs_a_reason_and_the_right_unit(world, rotation):
    first = _duty(rotation, 0)
    with pytest.raises(ValidationError):
        duty_file(by=world.east_officer, duty=first, kind="cancel", reason=" ")
    with pytest.raises(access.PermissionDenied):
        duty_file(by=world.west_officer, duty=first, kind="cancel", reason="雾霾")
    duty_file(by=world.east_officer, duty=first, kind="cancel", reason="雾霾")
    with pytest.raises(Refused):
        duty_file(by=world.east_officer, duty=Duty.objects.get(pk=first.pk), kind="cancel", reason="雾霾")


def test_done_only_on_or_after_the_day_and_contact_filled_in(world, rotation):
    first = _duty(rotation, 0)
    with pytest.raises(Refused):
        duty_done(by=world.east_officer, duty=first)
    Duty.objects.filter(pk=first.pk).update(date=timezone.localdate())
    assert (
        duty_done(by=world.east_officer, duty=Duty.objects.get(pk=first.pk), content="热水、引导").status
        == "done"
    )
    with pytest.raises(ValidationError):
        duty_update(by=world.east_officer, duty=_duty(rotation, 2), contact_phone="123")
    assert (
        duty_update(
            by=world.east_officer, duty=_duty(rotation, 2), contact_name="王某", contact_phone="13800001111"
        ).contact_phone
        == "13800001111"
    )


def test_pages_and_api_scope_the_campaign(world, rotation, client):
    outsider = MembershipFactory(role=Role.OFFICER).user  # an officer of an unrelated root
    client.force_login(outsider)
    assert client.get("/app/campaigns/test-rotation/").status_code == 404
    assert client.get(f"/app/duties/{_duty(rotation, 0).pk}/file/").status_code == 404
    assert Api(outsider).get("/campaigns/test-rotation/duties").status_code == 404
    assert (
        Api(outsider)
        .post(f"/duties/{_duty(rotation, 0).pk}/filings", {"kind": "cancel", "reason": "x"})
        .status_code
        == 404
    )
    # the west officer serves in the rotation, so sees the campaign, but may not file for east's day
    client.force_login(world.west_officer)
    page = client.get("/app/campaigns/test-rotation/rotation/").content.decode()
    assert "火车东站" in page
    assert (
        Api(world.west_officer)
        .post(f"/duties/{_duty(rotation, 0).pk}/filings", {"kind": "cancel", "reason": "x"})
        .status_code
        == 403
    )
    made = Api(world.east_officer).post(
        f"/duties/{_duty(rotation, 0).pk}/filings", {"kind": "cancel", "reason": "雾霾"}
    )
    assert made.status_code == 201 and made.json()["status"] == "cancelled"
    assert (
        Api(world.east_officer)
        .post(f"/duties/{_duty(rotation, 2).pk}/filings", {"kind": "x", "reason": ""})
        .status_code
        == 422
    )


def test_filing_through_the_page(world, rotation, client):
    client.force_login(world.east_officer)
    duty = _duty(rotation, 0)
    response = client.post(f"/app/duties/{duty.pk}/file/", {"kind": "postpone", "reason": "雾霾"})
    assert "顺延须填写新的日期。" in response.content.decode()
    response = client.post(f"/app/duties/{duty.pk}/file/", {"kind": "cancel", "reason": "雾霾"})
    assert response.status_code == 302 and Duty.objects.get(pk=duty.pk).status == "cancelled"


@pytest.mark.parametrize("size", [10, 1000])
def test_campaign_list_and_rotation_query_counts_do_not_grow(
    world, size, client, django_assert_max_num_queries
):
    today = date(2030, 1, 1)
    campaign = Campaign.objects.create(
        slug="big", title="大", organizer=world.city, starts_on=today, ends_on=today + timedelta(days=size)
    )
    Duty.objects.bulk_create(
        [
            Duty(
                campaign=campaign,
                date=today + timedelta(days=i),
                place="火车站",
                responsible=world.east,
                order=i,
            )
            for i in range(size)
        ]
    )
    for i in range(size // 10):
        Campaign.objects.create(
            slug=f"c{i}", title=f"活动{i}", organizer=world.east, starts_on=today, ends_on=today
        )
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        assert client.get("/app/campaigns/big/rotation/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/app/campaigns/").status_code == 200
    api = Api(admin)
    with django_assert_max_num_queries(7):
        assert api.get("/campaigns/big/duties?limit=50").json()["count"] == size


def test_the_campaign_page_shows_where_it_stands_and_its_staffing(world, rotation, client):
    from datetime import datetime, time

    from zhiyuan.campaigns.models import Shift

    station_day = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(8)))
    Shift.objects.create(
        organization=world.east,
        campaign=rotation,
        title="东广场早班",
        starts_at=station_day,
        ends_at=station_day + timedelta(hours=4),
        capacity=5,
        minimum=2,
        accepted_count=1,
    )
    client.force_login(world.east_officer)
    page = client.get("/app/campaigns/test-rotation/").content.decode()
    assert "1 个班次，已报名 1 / 5 个名额" in page and "1 个班次人数不足" in page
    assert "还剩 30 天" in page and "共 3 天，已完成 0" in page


def test_the_rotation_table_filters_by_unit_place_and_date(world, rotation, client):
    client.force_login(world.east_officer)
    first = _duty(rotation, 0)
    by_unit = client.get(
        "/app/campaigns/test-rotation/rotation/", {"organization": world.west.pk}
    ).content.decode()
    assert by_unit.count("<tr>") == 2 and "中原区文明办" in by_unit  # header + west's one day
    by_place = client.get("/app/campaigns/test-rotation/rotation/", {"place": "火车东站"}).content.decode()
    assert by_place.count("<tr>") == 2
    by_date = client.get(
        "/app/campaigns/test-rotation/rotation/",
        {"start": first.date.isoformat(), "end": first.date.isoformat()},
    ).content.decode()
    assert by_date.count("<tr>") == 2
