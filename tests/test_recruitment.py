"""招募公告: publishing, applying, deciding, closing at the deadline or when full; the API and its scope."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Membership
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Application, Recruitment, Volunteer
from zhiyuan.people.selectors import recruitment as selectors
from zhiyuan.people.services import recruitment as services


def notice_data(team, **overrides):
    start = timezone.localdate() + timedelta(days=20)
    data = dict(
        team=team,
        title="2027年春运郑州东站志愿者招募",
        content="在东广场引导旅客进站、咨询问询、帮扶重点旅客",
        recipients="进出站旅客",
        starts_on=start,
        ends_on=start + timedelta(days=40),
        time_slots="每天 8:00-12:00、14:00-18:00",
        location="郑州东站东广场",
        wanted=3,
        risks="室外低温、人流密集处可能发生踩踏、拥挤",
        insurance="由团市委统一购买人身意外伤害保险",
        deadline=timezone.now() + timedelta(days=10),
        training_offered="上岗前半天岗前培训",
    )
    data.update(overrides)
    return data


def published(by, team, **overrides) -> Recruitment:
    r = services.recruitment_create(by=by, **notice_data(team, **overrides))
    return services.recruitment_publish(by=by, recruitment=r)


def apply(volunteer, r, **kwargs) -> Application:
    return services.application_create(by=volunteer.user, recruitment=r, volunteer=volunteer, **kwargs)


@pytest.fixture
def leader(world):
    return MembershipFactory(organization=world.east_team, role=Role.LEADER).user


@pytest.fixture
def notice(world):
    return published(world.east_officer, world.east_team)


@pytest.fixture
def volunteers(world):
    return bulk_volunteers(world.east, 5, start=500, prefix="报名")


# --- writing a notice -------------------------------------------------------------------------------------


def test_a_draft_defaults_publisher_and_hours_recorder_to_the_team(world):
    # when an officer writes a notice naming only the team
    r = services.recruitment_create(by=world.east_officer, **notice_data(world.east_team))
    # then it is a draft the team publishes and whose hours the team records and certifies
    assert r.status == Recruitment.Status.DRAFT and r.published_at is None
    assert r.organization == world.east_team and r.hours_recorder == world.east_team
    assert r.history.first().history_user == world.east_officer
    assert not selectors.recruitment_public_list().exists()


def test_every_problem_is_reported_at_once(world):
    # given a notice with bad dates, nobody wanted, no risks or insurance, an office as the team and a west
    # organisation certifying the hours
    data = notice_data(
        world.east,
        ends_on=timezone.localdate(),
        starts_on=timezone.localdate() + timedelta(days=1),
        wanted=0,
        risks=" ",
        insurance="",
        hours_recorder=world.west_team,
    )
    # when it is saved
    with pytest.raises(ValidationError) as exc:
        services.recruitment_create(by=world.east_officer, organization=world.east, **data)
    # then each field says what is wrong, in Chinese, and nothing is written
    errors = exc.value.message_dict
    assert set(errors) == {"team", "ends_on", "wanted", "risks", "insurance", "hours_recorder", "deadline"}
    assert "第十二条" in errors["risks"][0] and "第十七条" in errors["insurance"][0]
    assert errors["team"] == ["请选择志愿服务支队、中队或服务队。"]
    assert not Recruitment.objects.exists()


def test_publishing_needs_a_deadline_in_the_future(world):
    r = services.recruitment_create(by=world.east_officer, **notice_data(world.east_team))
    Recruitment.objects.filter(pk=r.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        services.recruitment_publish(by=world.east_officer, recruitment=Recruitment.objects.get(pk=r.pk))
    assert exc.value.message_dict == {"deadline": ["报名截止时间须晚于当前时间。"]}


def test_only_drafts_and_published_notices_can_be_changed(world, notice):
    services.recruitment_close(by=world.east_officer, recruitment=notice)
    with pytest.raises(Refused):
        services.recruitment_update(by=world.east_officer, recruitment=notice, title="改")
    with pytest.raises(Refused):
        services.recruitment_publish(by=world.east_officer, recruitment=notice)


def test_a_team_leader_decides_but_does_not_rewrite_the_office_notice(world, leader, volunteers):
    # given a notice the east office published for the east team
    r = published(world.east_officer, world.east_team, organization=world.east)
    # then the team's leader sees it and its applications, may decide, but not edit it
    assert selectors.recruitment_get(user=leader, pk=r.pk) == r
    with pytest.raises(access.PermissionDenied):
        services.recruitment_update(by=leader, recruitment=r, title="改")
    services.application_decide(by=leader, application=apply(volunteers[0], r), approve=True)


# --- applying ---------------------------------------------------------------------------------------------


def test_approval_makes_the_volunteer_a_team_member(world, leader, notice, volunteers):
    # given a volunteer who applied
    application = apply(volunteers[0], notice, motivation="有春运服务经验")
    assert application.status == Application.Status.PENDING
    # when the team leader approves
    services.application_decide(by=leader, application=application, approve=True)
    # then they are a volunteer of the team, and a place is taken
    assert Membership.objects.filter(
        user=volunteers[0].user, organization=world.east_team, role=Role.VOLUNTEER
    ).exists()
    assert Recruitment.objects.get(pk=notice.pk).approved_count == 1
    assert selectors.my_applications(user=volunteers[0].user).get().status == Application.Status.APPROVED


def test_rejection_needs_a_reason(leader, notice, volunteers):
    application = apply(volunteers[0], notice)
    with pytest.raises(ValidationError) as exc:
        services.application_decide(by=leader, application=application, approve=False, reason="  ")
    assert exc.value.message_dict == {"reason": ["不录用时请填写原因。"]}
    services.application_decide(
        by=leader, application=application, approve=False, reason="本期名额已优先安排"
    )
    application.refresh_from_db()
    assert (application.status, application.reason) == (Application.Status.REJECTED, "本期名额已优先安排")
    assert not Membership.objects.filter(user=volunteers[0].user).exists()


def test_duplicates_are_refused_and_a_withdrawn_application_reopens(notice, volunteers):
    first = apply(volunteers[0], notice)
    with pytest.raises(Refused, match="已报名"):
        apply(volunteers[0], notice)
    services.application_withdraw(by=volunteers[0].user, application=first)
    again = apply(volunteers[0], notice, motivation="时间已确定")
    assert again.pk == first.pk and again.status == Application.Status.PENDING
    assert again.motivation == "时间已确定"


def test_only_the_volunteer_applies_and_withdraws_for_themself(world, notice, volunteers):
    with pytest.raises(access.PermissionDenied):
        services.application_create(by=world.east_officer, recruitment=notice, volunteer=volunteers[0])
    application = apply(volunteers[0], notice)
    with pytest.raises(access.PermissionDenied):
        services.application_withdraw(by=volunteers[1].user, application=application)


def test_minimum_age(world, volunteers):
    # given a notice for adults and a 16-year-old volunteer
    r = published(world.east_officer, world.east_team, minimum_age=18)
    young = volunteers[0]
    Volunteer.objects.filter(pk=young.pk).update(birth_date=timezone.localdate().replace(year=2010))
    young.refresh_from_db()
    assert young.age == timezone.localdate().year - 2010
    # then they are told why they cannot apply, and an adult can
    with pytest.raises(Refused, match="年满18周岁"):
        apply(young, r)
    apply(volunteers[1], r)


def test_anonymised_volunteers_cannot_apply(notice, volunteers):
    Volunteer.objects.filter(pk=volunteers[0].pk).update(status=Volunteer.Status.ANONYMISED)
    volunteers[0].refresh_from_db()
    with pytest.raises(Refused, match="匿名化"):
        apply(volunteers[0], notice)


def test_a_notice_closes_at_its_deadline(world, notice, volunteers):
    # given a notice whose deadline has just passed
    Recruitment.objects.filter(pk=notice.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    r = Recruitment.objects.get(pk=notice.pk)
    # then nobody can apply, and the public finds it among the closed ones, marked 已截止
    assert not r.is_open
    with pytest.raises(Refused, match="报名已截止"):
        apply(volunteers[0], r)
    assert not selectors.recruitment_public_list().exists()
    assert [x.state for x in selectors.recruitment_public_list(state="closed")] == ["expired"]


def test_a_notice_closes_when_full(world, leader, volunteers):
    # given two places and three applicants
    r = published(world.east_officer, world.east_team, wanted=2)
    applications = [apply(v, r) for v in volunteers[:3]]
    # when the leader approves two
    for application in applications[:2]:
        services.application_decide(by=leader, application=application, approve=True)
    # then the third cannot be approved, nobody else can apply, and the public sees it full
    with pytest.raises(Refused, match="已满"):
        services.application_decide(by=leader, application=applications[2], approve=True)
    with pytest.raises(Refused, match="招募人数已满"):
        apply(volunteers[3], r)
    assert Recruitment.objects.get(pk=r.pk).approved_count == 2
    assert [x.state for x in selectors.recruitment_public_list(state="closed")] == ["full"]


def test_cancelling_tells_the_waiting_applicants(world, notice, volunteers):
    application = apply(volunteers[0], notice)
    services.recruitment_cancel(by=world.east_officer, recruitment=notice)
    application.refresh_from_db()
    assert (application.status, application.reason) == (Application.Status.REJECTED, "招募已取消。")
    # and the public no longer finds it
    with pytest.raises(Http404):
        selectors.recruitment_public_get(pk=notice.pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leaders_approving_the_last_place_at_once(world, leader, volunteers):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are a PostgreSQL matter; SQLite serialises all writers")
    # given one place left and two pending applicants
    r = published(world.east_officer, world.east_team, wanted=1)
    applications = [apply(v, r) for v in volunteers[:2]]
    deputy = MembershipFactory(organization=world.east_team, role=Role.DEPUTY_SQUADRON_LEADER).user
    barrier, outcomes = threading.Barrier(2), []

    def approve(by, application):
        try:
            barrier.wait()
            services.application_decide(by=by, application=application, approve=True)
            outcomes.append("approved")
        except Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    # when two leaders approve a different applicant at the same moment
    threads = [
        threading.Thread(target=approve, args=args)
        for args in zip([leader, deputy], applications, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one wins and the team is not overbooked
    assert sorted(outcomes) == ["approved", "refused"]
    assert Recruitment.objects.get(pk=r.pk).approved_count == 1
    assert Membership.objects.filter(organization=world.east_team, role=Role.VOLUNTEER).count() == 1
    assert Application.objects.filter(status=Application.Status.APPROVED).count() == 1


# --- the API ----------------------------------------------------------------------------------------------


def api_payload(team, **overrides):
    data = notice_data(team, **overrides)
    data = {k: v for k, v in data.items() if k != "team"}
    data.update(
        team_id=team.pk,
        starts_on=str(data["starts_on"]),
        ends_on=str(data["ends_on"]),
        deadline=timezone.localtime(data["deadline"]).strftime("%Y-%m-%dT%H:%M:%S"),
        skills=["medical"],
    )
    return data


def test_create_publish_apply_decide_through_the_api(world, leader, volunteers):
    officer = Api(world.east_officer)
    made = officer.post("/recruitments", api_payload(world.east_team))
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["state"], body["skills"], body["places_left"]) == (
        "draft",
        "draft",
        ["medical"],
        3,
    )
    assert body["hours_recorder_name"] == world.east_team.name
    pk = body["id"]
    # a draft is not there to apply to
    assert Api(volunteers[0].user).post(f"/recruitments/{pk}/apply", {}).status_code == 404
    published_ = officer.post(f"/recruitments/{pk}/publish", {})
    assert published_.status_code == 200 and published_.json()["state_label"] == "招募中"
    assert Api(world.west_officer).get("/recruitments/public").json()["count"] == 1

    applied = Api(volunteers[0].user).post(f"/recruitments/{pk}/apply", {"motivation": "医学生"})
    assert applied.status_code == 201 and applied.json()["status"] == "pending"
    again = Api(volunteers[0].user).post(f"/recruitments/{pk}/apply", {})
    assert again.status_code == 409 and "已报名" in again.json()["detail"]
    queue = Api(leader).get(f"/recruitments/{pk}/applications").json()
    assert queue["count"] == 1 and queue["items"][0]["volunteer_number"] == volunteers[0].number

    application_id = applied.json()["id"]
    no_reason = Api(leader).post(f"/applications/{application_id}/decide", {"approve": False})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    approved = Api(leader).post(f"/applications/{application_id}/decide", {"approve": True, "reason": ""})
    assert approved.status_code == 200 and approved.json()["status_label"] == "已录用"
    mine = Api(volunteers[0].user).get("/me/applications").json()
    assert [(a["recruitment_id"], a["status"]) for a in mine["items"]] == [(pk, "approved")]
    twice = Api(leader).post(f"/applications/{application_id}/decide", {"approve": True})
    assert twice.status_code == 409


def test_api_input_is_strict_and_validated(world):
    officer = Api(world.east_officer)
    extra = officer.post("/recruitments", {**api_payload(world.east_team), "approved_count": 99})
    assert extra.status_code == 422
    bad = officer.post("/recruitments", api_payload(world.east_team, wanted=0, risks="", skills=None))
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["detail"]} == {"wanted", "risks"}
    elsewhere = officer.post("/recruitments", {**api_payload(world.east_team), "team_id": world.west_team.pk})
    assert elsewhere.status_code == 422 and elsewhere.json()["detail"][0]["msg"] == "所选组织不存在。"
    pk = officer.post("/recruitments", api_payload(world.east_team)).json()["id"]
    patched = officer.patch(f"/recruitments/{pk}", {"wanted": 10, "title": "改后的标题"})
    assert patched.status_code == 200 and patched.json()["wanted"] == 10
    assert officer.patch(f"/recruitments/{pk}", {"risks": None}).status_code == 422


def test_viewing_is_not_deciding(world, notice, volunteers):
    # given a 网格长 in the east, who may see volunteers but not manage them
    grid_head = MembershipFactory(organization=world.east, role=Role.GRID_HEAD).user
    application = apply(volunteers[0], notice)
    api = Api(grid_head)
    assert api.get(f"/recruitments/{notice.pk}").status_code == 200
    assert api.post(f"/recruitments/{notice.pk}/close", {}).status_code == 403
    assert api.post(f"/applications/{application.pk}/decide", {"approve": True}).status_code == 403
    assert Recruitment.objects.get(pk=notice.pk).status == Recruitment.Status.PUBLISHED


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/recruitments/{r}", None),
        ("patch", "/recruitments/{r}", {"title": "渗透"}),
        ("post", "/recruitments/{r}/publish", {}),
        ("post", "/recruitments/{r}/close", {}),
        ("post", "/recruitments/{r}/cancel", {}),
        ("get", "/recruitments/{r}/applications", None),
        ("post", "/applications/{a}/decide", {"approve": True}),
        ("post", "/applications/{a}/withdraw", {}),
    ],
)
def test_the_west_officer_cannot_reach_east_notices_through_the_api(world, volunteers, method, path, body):
    # given an east draft and an east published notice with an application
    r = published(world.east_officer, world.east_team)
    draft = services.recruitment_create(by=world.east_officer, **notice_data(world.east_team))
    application = apply(volunteers[0], r)
    before = list(Recruitment.objects.order_by("pk").values_list("title", "status", "approved_count"))
    api = Api(world.west_officer)
    for target in (r, draft):
        url = path.format(r=target.pk, a=application.pk)
        response = api.get(url) if method == "get" else getattr(api, method)(url, body)
        assert response.status_code == 404, (url, response.content)
    assert list(Recruitment.objects.order_by("pk").values_list("title", "status", "approved_count")) == before
    assert Application.objects.get().status == Application.Status.PENDING
