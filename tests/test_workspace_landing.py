"""/app/ lands each person on their day; the menu lists what they may do and nothing else."""

from datetime import timedelta

from django.test import Client

from tests.factories import MembershipFactory
from tests.test_shifts import at, make_shift, sign, team_volunteers
from zhiyuan.campaigns.models import Shift
from zhiyuan.organizations.roles import Role


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _today(shift, hour: int) -> None:
    """The day of the shift arrives: signed up for ahead of time, it now runs today at `hour` Beijing."""
    starts = at(0, hour)
    Shift.objects.filter(pk=shift.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=1))


def _nav(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def test_a_team_leader_lands_on_today_s_shifts_sign_ups_and_approvals(world):
    # given the east team's 队长 with a shift today that two volunteers took
    leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    volunteers = team_volunteers(world.east_team, world.east, 2, start=900)
    today = make_shift(leader, world.east_team, days=2, title="今晚夜班")
    for v in volunteers:
        sign(v, today)
    _today(today, 22)
    # when they open the workspace
    page = _as(leader).get("/app/").content.decode()
    # then they see the shift, who signed up, and the approval queues
    assert "今晚夜班" in page and volunteers[0].user.display_name in page
    assert 'href="/app/hours/reports/"' in page and 'href="/app/hours/corrections/"' in page
    # and their menu has the team's work but not the 文明办's report review
    assert 'href="/app/shifts/"' in _nav(page) and 'href="/app/reports/review/"' not in _nav(page)


def test_a_volunteer_lands_on_their_shifts_hours_scan_and_certificates(world):
    leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    volunteer = team_volunteers(world.east_team, world.east, 1, start=910)[0]
    sign(volunteer, make_shift(leader, world.east_team, days=2, title="周末引导"))
    page = _as(volunteer.user).get("/app/").content.decode()
    assert "周末引导" in page and "本周已服务" in page
    nav = _nav(page)
    for href in ("/app/me/shifts/", "/app/me/hours/", "/app/scan/", "/app/me/certificates/"):
        assert f'href="{href}"' in nav
    for href in ("/app/orgs/", "/app/volunteers/", "/app/campaigns/", "/app/hours/compliance/"):
        assert f'href="{href}"' not in nav


def test_an_officer_lands_on_the_campaign_standing(world):
    page = _as(world.east_officer).get("/app/").content.decode()
    assert "活动进展" in page and 'href="/app/reports/review/"' in page


def test_the_landing_page_costs_the_same_queries_for_one_shift_or_many(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    volunteers = team_volunteers(world.east_team, world.east, 12, start=920)
    first = make_shift(leader, world.east_team, days=2, capacity=20)
    sign(volunteers[0], first)
    _today(first, 20)
    with CaptureQueriesContext(connection) as one:
        assert _as(leader).get("/app/").status_code == 200
    for day in (3, 4):
        more = make_shift(leader, world.east_team, days=day, capacity=20)
        for v in volunteers[1:]:
            sign(v, more)
        _today(more, 18 + day)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert _as(leader).get("/app/").status_code == 200
