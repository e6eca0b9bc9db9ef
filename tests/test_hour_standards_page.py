"""Star thresholds and the weekly quota get a page (issue 12 item 4): set for a subtree, inherited below."""

from decimal import Decimal

from django.test import Client

from tests.factories import MembershipFactory
from zhiyuan.hours.models import StarThreshold
from zhiyuan.hours.services.compliance import quota_for, star_thresholds
from zhiyuan.organizations.roles import Role


def _post(client, org, **values):
    data = {"quota": "", **{f"star_{s}": "" for s in range(1, 6)}, **values}
    return client.post(f"/app/hours/standards/?organization={org.pk}", data)


def test_an_officer_sets_the_weekly_quota_and_stars_for_the_subtree(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.east_officer)
    page = client.get("/app/hours/standards/")
    assert page.status_code == 200 and "每周不少于 5" in page.content.decode()
    assert 'href="/app/hours/standards/"' in page.content.decode()  # in the menu
    done = _post(client, world.east, quota="4", star_1="50", star_2="150")
    assert done.status_code == 302
    assert quota_for(world.east_team) == Decimal(4)  # the team below inherits
    assert star_thresholds(world.east_team)[1] == Decimal(50) and quota_for(world.west_team) == Decimal(5)
    with django_assert_max_num_queries(15):
        client.get(f"/app/hours/standards/?organization={world.east.pk}")


def test_bad_standards_are_refused_in_chinese_and_nothing_changes(world):
    client = Client()
    client.force_login(world.east_officer)
    page = _post(client, world.east, quota="200", star_1="300", star_2="100")
    body = page.content.decode()
    assert page.status_code == 200 and "168" in body
    assert not StarThreshold.objects.filter(organization=world.east).exists()
    page = _post(client, world.east, quota="4", star_1="300", star_2="100")
    assert "星级越高" in page.content.decode()
    assert quota_for(world.east) == Decimal(5)  # the valid quota was not saved without the stars


def test_another_subtree_and_a_volunteer_cannot_set_standards(world):
    client = Client()
    client.force_login(world.west_officer)
    assert _post(client, world.east, quota="1").status_code == 404
    volunteer = MembershipFactory(organization=world.east, role=Role.VOLUNTEER).user
    client.force_login(volunteer)
    assert client.get("/app/hours/standards/").status_code == 403
    assert quota_for(world.east) == Decimal(5)
