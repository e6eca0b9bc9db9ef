"""A campaign named in a station's body is scoped like one in a URL: the west office cannot hang its
station on a campaign of the east it cannot see (422, nothing written); its own campaign works."""

from datetime import timedelta

from django.utils import timezone

from tests.conftest import Api
from zhiyuan.campaigns.models import Campaign, Station


def test_a_station_cannot_be_put_in_a_campaign_the_caller_cannot_see(world):
    today = timezone.localdate()
    east_only = Campaign.objects.create(
        slug="east-only",
        title="东区活动",
        organizer=world.east,
        starts_on=today,
        ends_on=today + timedelta(days=9),
    )
    west_own = Campaign.objects.create(
        slug="west-own",
        title="西区活动",
        organizer=world.west,
        starts_on=today,
        ends_on=today + timedelta(days=9),
    )
    body = {"name": "碧沙岗站", "place": "碧沙岗公园", "responsible_office_id": world.west.pk}
    api = Api(world.west_officer)
    refused = api.post("/stations", {**body, "campaign_id": east_only.pk})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "campaign_id"
    assert not Station.objects.filter(name="碧沙岗站").exists()
    made = api.post("/stations", {**body, "campaign_id": west_own.pk})
    assert made.status_code == 201, made.content
    assert Station.objects.get(name="碧沙岗站").campaign == west_own
