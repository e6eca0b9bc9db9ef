"""Self-reported hours: only the volunteer reports, only a leader of the team decides, only approval writes
the ledger."""

from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.core import access
from zhiyuan.hours.models import LedgerEntry, SelfReport, WeeklyRollup
from zhiyuan.hours.services.ledger import ledger_append, week_of
from zhiyuan.hours.services.self_reports import self_report_create, self_report_decide
from zhiyuan.organizations.roles import Role


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def volunteer(world):
    v = bulk_volunteers(world.east, 1, prefix="申报")[0]
    MembershipFactory(user=v.user, organization=world.east_team, role=Role.VOLUNTEER)
    return v


def report(world, volunteer, **kw):
    data = dict(
        by=volunteer.user,
        volunteer=volunteer,
        organization=world.east_team,
        activity="社区清洁",
        place="东风路",
        description="清扫楼道",
        starts_at=_at(1, 8),
        ends_at=_at(1, 11),
    )
    data.update(kw)
    return self_report_create(**data)


def _png() -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


def test_approval_writes_exactly_one_ledger_entry_and_the_rollup(world, volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = report(world, volunteer, photo=_png())
    assert r.status == SelfReport.Status.PENDING and r.photo.name.endswith(".jpg")
    assert not LedgerEntry.objects.exists()
    decided = self_report_decide(by=world.east_officer, report=r, approve=True, reason="")
    entry = LedgerEntry.objects.get()
    assert decided.status == SelfReport.Status.APPROVED and decided.ledger_entry == entry
    assert (entry.source, entry.hours, entry.organization) == (
        "self_report",
        Decimal("3.00"),
        world.east_team,
    )
    rollup = WeeklyRollup.objects.get(volunteer=volunteer)
    assert (rollup.week, rollup.hours) == (week_of(r.starts_at), Decimal("3.00"))
    own, west = Client(), Client()
    own.force_login(volunteer.user)
    west.force_login(world.west_officer)
    assert own.get(f"/app/hours/reports/{r.pk}/photo/").status_code == 200
    assert west.get(f"/app/hours/reports/{r.pk}/photo/").status_code == 404


def test_rejection_needs_a_reason_and_writes_nothing(world, volunteer):
    r = report(world, volunteer)
    with pytest.raises(ValidationError) as exc:
        self_report_decide(by=world.east_officer, report=r, approve=False, reason=" ")
    assert "reason" in exc.value.message_dict
    done = self_report_decide(by=world.east_officer, report=r, approve=False, reason="无活动记录")
    assert done.status == SelfReport.Status.REJECTED and done.reason == "无活动记录"
    assert not LedgerEntry.objects.exists() and not WeeklyRollup.objects.exists()


def test_an_overlap_is_the_decisions_error(world, volunteer):
    ledger_append(
        volunteer=volunteer,
        organization=world.east_team,
        activity="已签到活动",
        starts_at=_at(1, 9),
        ends_at=_at(1, 10),
        source="bulk",
        by=world.east_officer,
    )
    r = report(world, volunteer)
    with pytest.raises(ValidationError, match="重叠"):
        self_report_decide(by=world.east_officer, report=r, approve=True, reason="")
    r.refresh_from_db()
    assert r.status == SelfReport.Status.PENDING and LedgerEntry.objects.count() == 1


def test_validation_reports_every_field_at_once(world, volunteer):
    with pytest.raises(ValidationError) as exc:
        report(world, volunteer, activity="", starts_at=_at(0, 10), ends_at=_at(-1, 9))
    errors = exc.value.message_dict
    assert "activity" in errors and any("尚未结束" in m for m in errors["ends_at"])
    with pytest.raises(ValidationError) as exc:
        report(world, volunteer, starts_at=_at(3, 0), ends_at=_at(2, 1))
    assert any("16小时" in m for m in exc.value.message_dict["ends_at"])
    with pytest.raises(ValidationError) as exc:
        report(world, volunteer, starts_at=_at(60, 8), ends_at=_at(60, 10))
    assert any("10个工作日" in m for m in exc.value.message_dict["ends_at"])
    with pytest.raises(ValidationError) as exc:
        report(world, volunteer, ends_at=_at(1, 7))
    assert "ends_at" in exc.value.message_dict
    assert not SelfReport.objects.exists()


def test_a_volunteer_reports_only_for_their_own_teams_and_themself(world, volunteer, api_as):
    with pytest.raises(ValidationError) as exc:
        report(world, volunteer, organization=world.west_team)
    assert "organization" in exc.value.message_dict
    other = bulk_volunteers(world.east, 1, start=5, prefix="别人")[0]
    with pytest.raises(access.PermissionDenied):
        report(world, volunteer, by=other.user)
    api = api_as(volunteer.user)
    payload = {
        "organization_id": world.west_team.pk,
        "activity": "社区清洁",
        "description": "清扫",
        "starts_at": _at(1, 8).isoformat(),
        "ends_at": _at(1, 9).isoformat(),
    }
    assert api.post("/me/self-reports", payload).status_code == 422
    payload["organization_id"] = world.east_team.pk
    made = api.post("/me/self-reports", payload)
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "pending" and made.json()["organization_name"] == world.east_team.name
    assert not SelfReport.objects.filter(organization=world.west_team).exists()


def test_the_west_officer_cannot_see_or_decide_an_east_report(world, volunteer, api_as):
    r = report(world, volunteer)
    with pytest.raises(access.PermissionDenied):
        self_report_decide(by=world.west_officer, report=r, approve=True, reason="")
    west = api_as(world.west_officer)
    assert west.get("/self-reports").json() == {"items": [], "count": 0}
    assert west.post(f"/self-reports/{r.pk}/decide", {"approve": True}).status_code == 404
    client = Client()
    client.force_login(world.west_officer)
    assert client.post(f"/app/hours/reports/{r.pk}/decide/", {"decision": "approve"}).status_code == 404
    with pytest.raises(Http404):
        access.get_or_404(
            SelfReport.objects.filter(access.scope(world.west_officer, "volunteer.view", via="organization")),
            pk=r.pk,
        )
    assert not LedgerEntry.objects.exists()


def test_the_api_queue_and_decision(world, volunteer, api_as):
    r = report(world, volunteer)
    east = api_as(world.east_officer)
    listed = east.get("/self-reports").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == r.pk
    # a plain member sees the report's team but may not decide
    assert api_as(volunteer.user).post(f"/self-reports/{r.pk}/decide", {"approve": True}).status_code == 404
    assert east.post(f"/self-reports/{r.pk}/decide", {"approve": False}).status_code == 422
    done = east.post(f"/self-reports/{r.pk}/decide", {"approve": True})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert done.json()["ledger_entry_id"] == LedgerEntry.objects.get().pk
    assert east.post(f"/self-reports/{r.pk}/decide", {"approve": True}).status_code == 409
    mine = api_as(volunteer.user).get("/me/hours").json()
    assert Decimal(mine["total"]) == Decimal(3) and mine["recent"][0]["source"] == "self_report"


def test_the_pages(world, volunteer):
    client = Client()
    client.force_login(volunteer.user)
    page = client.get("/app/me/hours/")
    assert page.status_code == 200 and "自主申报" in page.content.decode()
    posted = client.post(
        "/app/me/hours/",
        {
            "organization": world.east_team.pk,
            "activity": "敬老院探访",
            "description": "陪伴老人",
            "starts_at": timezone.localtime(_at(1, 14)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(_at(1, 16)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert posted.status_code == 302, posted.content.decode()
    r = SelfReport.objects.get()
    assert client.get("/app/hours/reports/").status_code == 403
    leader = Client()
    leader.force_login(world.east_officer)
    queue = leader.get("/app/hours/reports/")
    assert queue.status_code == 200 and "敬老院探访" in queue.content.decode()
    leader.post(f"/app/hours/reports/{r.pk}/decide/", {"decision": "reject"})
    r.refresh_from_db()
    assert r.status == SelfReport.Status.PENDING  # no reason: refused, shown as a message
    leader.post(f"/app/hours/reports/{r.pk}/decide/", {"decision": "approve"})
    r.refresh_from_db()
    assert r.status == SelfReport.Status.APPROVED and LedgerEntry.objects.count() == 1
    assert "2.00" in client.get("/app/me/hours/").content.decode()
