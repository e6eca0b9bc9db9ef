"""The organiser adds a row to the rotation by hand (issue 17 item 3: writes for duties): inside the period,
a station of this campaign, no second unit on one place and day, the unit's 联络员 told; a body id outside
the caller's sight is a 422 and writes nothing; a district office cannot add rows to the city's campaign."""

from datetime import timedelta

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.test_duties import rotation
from zhiyuan.campaigns.models import Duty, Station
from zhiyuan.notifications.models import Notification
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Role

__all__ = ["rotation"]


def test_a_city_officer_adds_a_duty_and_the_unit_hears(world, rotation, django_capture_on_commit_callbacks):
    officer = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    liaison = MembershipFactory(organization=world.west, role=Role.LIAISON).user
    station = Station.objects.create(
        name="二七广场服务站", place="二七广场", campaign=rotation, responsible_office=world.west
    )
    day = rotation.starts_on + timedelta(days=10)
    api = Api(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/campaigns/{rotation.slug}/duties",
            {"date": day.isoformat(), "responsible_id": world.west.pk, "station_id": station.pk},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["place"], body["responsible_id"], body["status"]) == ("二七广场", world.west.pk, "planned")
    told = Notification.objects.get(user=liaison)
    assert day.isoformat() in told.subject and told.url == f"/app/campaigns/{rotation.slug}/rotation/"

    # the same place and day again: a clash, nothing written
    again = api.post(
        f"/campaigns/{rotation.slug}/duties",
        {"date": day.isoformat(), "responsible_id": world.east.pk, "place": "二七广场"},
    )
    assert again.status_code == 422 and "已安排" in str(again.json())
    # outside the period, and without a place
    late = rotation.ends_on + timedelta(days=1)
    bad = api.post(
        f"/campaigns/{rotation.slug}/duties", {"date": late.isoformat(), "responsible_id": world.east.pk}
    )
    fields = {e["loc"][-1] for e in bad.json()["detail"]}
    assert bad.status_code == 422 and {"date", "place"} <= fields
    assert Duty.objects.filter(campaign=rotation, date=day).count() == 1


def test_body_ids_are_scoped_and_districts_cannot_add(world, rotation):
    officer = MembershipFactory(organization=world.city, role=Role.OFFICER).user
    before = Duty.objects.count()
    elsewhere = Organization.objects.create(name="外市文明办", kind=world.city.kind)
    other_station = Station.objects.create(name="别的活动站", place="别处", responsible_office=world.east)
    day = (rotation.starts_on + timedelta(days=12)).isoformat()
    api = Api(officer)
    r = api.post(
        f"/campaigns/{rotation.slug}/duties", {"date": day, "responsible_id": elsewhere.pk, "place": "火车站"}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "responsible_id"
    r = api.post(
        f"/campaigns/{rotation.slug}/duties",
        {"date": day, "responsible_id": world.east.pk, "station_id": other_station.pk},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "station_id"
    # a district office sees the city's campaign (it serves in it) but does not plan it
    r = Api(world.east_officer).post(
        f"/campaigns/{rotation.slug}/duties",
        {"date": day, "responsible_id": world.east.pk, "place": "火车站"},
    )
    assert r.status_code in (403, 404)
    assert Duty.objects.count() == before
