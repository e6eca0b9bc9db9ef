"""Training (培训): required courses reach the teams below a 支队, bulk attendance completes them, sessions
fill up, uploads are checked by content, and nobody reaches another district's training."""

import io
import threading
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from tests.conftest import Api
from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import (
    TrainingAttendance,
    TrainingCompletion,
    TrainingCourse,
    TrainingMaterial,
    TrainingSession,
    Volunteer,
)
from zhiyuan.people.selectors.training import completed_training, has_completed_required, required_training
from zhiyuan.people.services import training as services

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32


def office_zip(entry: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(entry, "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class Training:
    """东区 青年志愿服务支队 requires its 《培训手册》 course; 一中队 sits below it with one volunteer."""

    brigade: Organization
    team: Organization
    officer: Any  # the brigade's 中队长-level manager
    volunteer: Volunteer
    course: TrainingCourse
    session: TrainingSession


def make_volunteer(team: Organization, home: Organization, start: int, prefix: str = "学员") -> Volunteer:
    volunteer = bulk_volunteers(home, 1, start=start, prefix=prefix)[0]
    MembershipFactory(user=volunteer.user, organization=team, role=Role.VOLUNTEER)
    return volunteer


def make_session(course: TrainingCourse, by: Any, capacity: int = 30, days: int = 3) -> TrainingSession:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return services.session_create(
        by=by,
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="郑州东站第一会议室",
        capacity=capacity,
    )


@pytest.fixture
def training(world) -> Training:
    brigade = OrganizationFactory(name="青年志愿服务支队", kind=Kind.BRIGADE, parent=world.east)
    team = OrganizationFactory(name="青年志愿服务支队一中队", kind=Kind.SQUADRON, parent=brigade)
    officer = MembershipFactory(organization=brigade, role=Role.SQUADRON_LEADER).user
    course = services.course_create(
        by=officer,
        organizer=brigade,
        name="《培训手册》",
        content="春运志愿服务礼仪、站内引导、应急处置",
        hours=Decimal("2.5"),
        date=date(2019, 1, 15),
        required_for=[brigade],
    )
    volunteer = make_volunteer(team, world.east, start=900)
    return Training(brigade, team, officer, volunteer, course, make_session(course, officer))


def test_a_volunteer_in_a_team_sees_what_their_brigade_requires(world, training):
    # given 《培训手册》 required for the 支队 and a volunteer in a 中队 below it
    # then it is required of them, and they may not yet sign up for that team's shifts
    assert [c.name for c in required_training(training.volunteer)] == ["《培训手册》"]
    assert not has_completed_required(training.volunteer, training.team)
    # and a volunteer of another district's team owes nothing
    elsewhere = make_volunteer(world.west_team, world.west, start=901, prefix="西")
    assert list(required_training(elsewhere)) == []
    assert has_completed_required(elsewhere, world.west_team)


def test_attending_a_session_marked_in_bulk_completes_the_course(training):
    # given the volunteer registered for a session
    services.session_register(
        by=training.volunteer.user, session=training.session, volunteer=training.volunteer
    )
    # when the officer marks the sheet: they came
    mark = dict(by=training.officer, session=training.session, attended=[training.volunteer.pk], absent=[])
    services.attendance_mark_bulk(**mark)
    services.attendance_mark_bulk(**mark)  # marking twice changes nothing
    # then the course is no longer required, and it is completed on the session's date
    assert list(required_training(training.volunteer)) == []
    done = list(completed_training(training.volunteer))
    assert [(c.course.name, c.completed_on) for c in done] == [
        ("《培训手册》", timezone.localdate(training.session.starts_at))
    ]
    assert has_completed_required(training.volunteer, training.team)
    # and when it was a mistake, marking them absent takes that completion back
    services.attendance_mark_bulk(**{**mark, "attended": [], "absent": [training.volunteer.pk]})
    assert [c.name for c in required_training(training.volunteer)] == ["《培训手册》"]
    assert TrainingAttendance.objects.get().status == "absent"
    # and the audit trail shows the completion given and taken back, both by the officer
    from zhiyuan.people.models import TrainingCompletion

    trail = TrainingCompletion.history.order_by("history_date")
    assert [(h.history_type, h.history_user) for h in trail] == [
        ("+", training.officer),
        ("-", training.officer),
    ]


def test_only_registered_volunteers_can_be_marked(world, training):
    stranger = make_volunteer(training.team, world.east, start=902)
    with pytest.raises(ValidationError) as caught:
        services.attendance_mark_bulk(
            by=training.officer, session=training.session, attended=[stranger.pk], absent=[]
        )
    assert caught.value.message_dict == {"attended": ["有1名志愿者未报名本场培训。"]}
    assert not TrainingCompletion.objects.exists()


def test_a_full_session_refuses_the_next_volunteer_and_a_second_registration(world, training):
    # given a session with one place, already taken
    session = make_session(training.course, training.officer, capacity=1)
    services.session_register(by=training.volunteer.user, session=session, volunteer=training.volunteer)
    # when the same volunteer or another one tries, then they are refused
    with pytest.raises(Refused, match="您已报名本场培训"):
        services.session_register(by=training.volunteer.user, session=session, volunteer=training.volunteer)
    late = make_volunteer(training.team, world.east, start=903)
    with pytest.raises(Refused, match="名额已满"):
        services.session_register(by=late.user, session=session, volunteer=late)
    # and through the API that is a 409 with the reason
    refused = Api(late.user).post(f"/training/sessions/{session.pk}/register", {})
    assert refused.status_code == 409 and refused.json()["detail"] == "本场培训名额已满。"
    assert session.attendances.count() == 1


def test_nobody_registers_someone_else(world, training):
    with pytest.raises(access.PermissionDenied):
        services.session_register(by=training.officer, session=training.session, volunteer=training.volunteer)


def test_a_bad_course_reports_every_field_at_once_in_chinese(training):
    with pytest.raises(ValidationError) as caught:
        services.course_create(
            by=training.officer,
            organizer=training.brigade,
            name=" ",
            content="",
            hours=Decimal("2.25"),
            date=None,
        )
    assert caught.value.message_dict == {
        "name": ["请填写培训名称。"],
        "content": ["请填写主要内容。"],
        "hours": ["学习时长最多保留一位小数。"],
        "date": ["请填写日期。"],
    }
    for hours in ("0", "100.5", "-1"):
        with pytest.raises(ValidationError, match="学习时长须大于0且不超过100小时"):
            services.course_update(by=training.officer, course=training.course, hours=Decimal(hours))
    assert TrainingCourse.objects.count() == 1


def test_a_session_ends_after_it_starts_and_has_a_place(training):
    starts = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            by=training.officer,
            course=training.course,
            starts_at=starts,
            ends_at=starts,
            place="",
            capacity=0,
        )
    assert caught.value.message_dict == {
        "ends_at": ["结束时间须晚于开始时间。"],
        "place": ["请填写地点。"],
        "capacity": ["名额至少为1人。"],
    }


def add(training: Training, name: str, content: bytes, **kwargs: Any) -> TrainingMaterial:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    for key, value in kwargs.items():
        setattr(upload, key, value)
    return services.material_add(by=training.officer, course=training.course, title="培训手册", file=upload)


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [("手册.pdf", PDF, ".pdf"), ("手册.docx", office_zip("word/document.xml"), ".docx"),
     ("课件.pptx", office_zip("ppt/presentation.xml"), ".pptx"), ("视频.mp4", MP4, ".mp4"),
     ("no-extension", PDF, ".pdf")],
)  # fmt: skip
def test_uploads_are_kept_by_content_under_a_random_name(settings, training, name, content, extension):
    material = add(training, name, content)
    stored = Path(settings.MEDIA_ROOT) / material.file.name
    assert stored.read_bytes() == content
    assert stored.suffix == extension and len(stored.stem) == 32 and name not in material.file.name


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [("手册.pdf", PNG, None), ("手册.docx", office_zip("xl/workbook.xml"), None),
     ("手册.pdf", PDF, 50 * 1024 * 1024 + 1)],
)  # fmt: skip
def test_a_bad_upload_is_refused_in_chinese_and_nothing_is_stored(settings, training, name, content, size):
    with pytest.raises(ValidationError) as caught:
        add(training, name, content, **({"size": size} if size else {}))
    expected = (
        "文件不能超过50 MB。" if size else "只能上传 PDF、Word（DOCX）、PowerPoint（PPTX）文件或 MP4 视频"
    )
    assert caught.value.message_dict["file"][0].startswith(expected)
    assert not TrainingMaterial.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_a_link_must_be_http_and_a_removed_file_is_deleted(
    settings, training, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError, match="http:// 或 https://"):
        services.material_add(
            by=training.officer, course=training.course, title="视频", url="javascript:alert(1)"
        )
    link = services.material_add(
        by=training.officer, course=training.course, title="视频", url="https://example.org/v.mp4"
    )
    assert link.url == "https://example.org/v.mp4" and not link.file
    material = add(training, "手册.pdf", PDF)
    path = Path(settings.MEDIA_ROOT) / material.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row is gone for good
        services.material_remove(by=training.officer, material=material)
    assert not path.exists()


def test_training_done_elsewhere_is_recorded_once(training):
    record = dict(by=training.officer, course=training.course, volunteer=training.volunteer)
    with pytest.raises(ValidationError, match="完成日期不能晚于今天"):
        services.completion_record(**record, completed_on=timezone.localdate() + timedelta(days=1))
    services.completion_record(**record, completed_on=date(2019, 1, 10))
    with pytest.raises(ValidationError, match="已有本培训的完成记录"):
        services.completion_record(**record, completed_on=date(2019, 1, 11))
    assert list(required_training(training.volunteer)) == []


def test_requirements_are_set_only_where_the_manager_manages(world, training):
    with pytest.raises(ValidationError, match="所选组织不存在"):
        services.course_require_for(
            by=training.officer, course=training.course, organizations=[world.west_team]
        )
    with pytest.raises(access.PermissionDenied):
        services.course_create(
            by=training.volunteer.user, organizer=training.team, name="x", content="x", hours=Decimal(1),
            date=date(2019, 1, 1),
        )  # fmt: skip
    services.course_unrequire_for(
        by=training.officer, course=training.course, organizations=[training.brigade]
    )
    assert list(required_training(training.volunteer)) == []


# --- API ----------------------------------------------------------------------------------------------------


def test_officers_create_list_and_change_courses_through_the_api(world, training):
    api = Api(training.officer)
    payload = {
        "name": "站内引导培训",
        "content": "问询、引导、重点旅客帮扶",
        "hours": "1.5",
        "organizer_id": training.brigade.pk,
        "date": "2019-01-20",
        "required_for_ids": [training.team.pk],
    }
    made = api.post("/training/courses", payload)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["hours"] == 1.5 and body["required_for"] == [
        {"id": training.team.pk, "name": training.team.name}
    ]
    listed = api.get("/training/courses").json()
    assert listed["count"] == 2 and {c["name"] for c in listed["items"]} == {"站内引导培训", "《培训手册》"}
    changed = api.patch(f"/training/courses/{body['id']}", {"hours": 3, "required_for_ids": []})
    assert (
        changed.status_code == 200 and changed.json()["hours"] == 3.0 and changed.json()["required_for"] == []
    )
    bad = api.post("/training/courses", {**payload, "hours": 0})
    assert bad.status_code == 422 and bad.json()["detail"][0]["msg"] == "学习时长须大于0且不超过100小时。"
    assert api.post("/training/courses", {**payload, "hack": 1}).status_code == 422
    elsewhere = api.post("/training/courses", {**payload, "organizer_id": world.west.pk})
    assert elsewhere.status_code == 422 and elsewhere.json()["detail"][0]["loc"] == ["body", "organizer_id"]


def test_sessions_registration_and_bulk_attendance_by_volunteer_number(world, training):
    officer, me = Api(training.officer), Api(training.volunteer.user)
    course = training.course.pk
    starts = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    made = officer.post(
        f"/training/courses/{course}/sessions",
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
         "place": "二七广场", "capacity": 20},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    session = made.json()["id"]
    assert officer.get(f"/training/courses/{course}/sessions").json()["count"] == 2
    assert me.get("/me/training").json()["required"][0]["name"] == "《培训手册》"
    registered = me.post(f"/training/sessions/{session}/register", {})
    assert (
        registered.status_code == 201 and registered.json()["volunteer_number"] == training.volunteer.number
    )
    unknown = officer.post(f"/training/sessions/{session}/attendance", {"attended": ["ZY000"], "absent": []})
    assert unknown.status_code == 422 and "ZY000" in unknown.json()["detail"][0]["msg"]
    marked = officer.post(
        f"/training/sessions/{session}/attendance", {"attended": [training.volunteer.number]}
    )
    assert marked.status_code == 200 and (marked.json()["registered"], marked.json()["attended"]) == (1, 1)
    mine = me.get("/me/training").json()
    assert mine["required"] == [] and [c["course_name"] for c in mine["completed"]] == ["《培训手册》"]
    # a volunteer may see the course but not manage it
    assert me.get(f"/training/courses/{course}").status_code == 200
    assert me.patch(f"/training/courses/{course}", {"hours": 1}).status_code == 403
    assert me.post(f"/training/sessions/{session}/attendance", {"attended": []}).status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_volunteers_racing_for_the_last_place_one_gets_it(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE")
    brigade = OrganizationFactory(name="竞速支队", kind=Kind.BRIGADE, parent=world.east)
    officer = MembershipFactory(organization=brigade, role=Role.OFFICER).user
    course = services.course_create(
        by=officer,
        organizer=brigade,
        name="最后一个名额",
        content="x",
        hours=Decimal(1),
        date=date(2019, 1, 1),
    )
    session = make_session(course, officer, capacity=2)
    first, *racers = (make_volunteer(brigade, world.east, start=950 + i) for i in range(3))
    services.session_register(by=first.user, session=session, volunteer=first)
    barrier, outcomes = threading.Barrier(len(racers)), []

    def race(volunteer: Volunteer) -> None:
        try:
            barrier.wait()
            services.session_register(by=volunteer.user, session=session, volunteer=volunteer)
            outcomes.append("ok")
        except Refused as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(v,)) for v in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "本场培训名额已满。"]
    assert session.attendances.count() == 2


def test_naive_times_are_beijing_wall_clock(training):
    session = services.session_create(
        by=training.officer,
        course=training.course,
        starts_at=datetime(2030, 1, 20, 9, 0),
        ends_at=datetime(2030, 1, 20, 11, 0),
        place="郑州站",
        capacity=10,
    )
    assert timezone.localtime(session.starts_at).hour == 9 and session.starts_at.utcoffset() is not None
