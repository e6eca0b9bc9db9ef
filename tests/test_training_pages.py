"""Training pages: an officer sets up 《培训手册》, a volunteer registers on their phone, the officer ticks the
sheet in one POST. And for pages and API alike: nobody reaches another district's training, and lists take
the same number of queries at 10 and at 1,000 rows."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import Api
from tests.people_helpers import bulk_volunteers
from tests.test_pages import as_user, section, text
from tests.test_training import PDF, PNG, Training, _media, make_session, make_volunteer, training
from zhiyuan.people.models import (
    TrainingAttendance,
    TrainingCompletion,
    TrainingCourse,
    TrainingMaterial,
    TrainingSession,
)

__all__ = ["_media", "training"]  # fixtures shared with the service tests
HX = {"HTTP_HX_REQUEST": "true"}


def test_an_officer_sets_up_a_course_with_materials_sessions_and_a_requirement(training):
    client = as_user(training.officer)
    listing = client.get("/app/training/")
    assert "《培训手册》" in section(listing, "courses") and 'href="/app/training/new/"' in text(listing)
    made = client.post(
        "/app/training/new/",
        {"name": "应急处置培训", "content": "突发客流、走失儿童", "hours": "1.5",
         "organizer": training.brigade.pk, "date": "2019-01-18"},
    )  # fmt: skip
    course = TrainingCourse.objects.get(name="应急处置培训")
    assert made.status_code == 302 and made["Location"] == f"/app/training/{course.pk}/"
    # a PNG dressed as a PDF is refused with a Chinese message
    fake = SimpleUploadedFile("手册.pdf", PNG, content_type="application/pdf")
    refused = client.post(f"/app/training/{course.pk}/materials/new/", {"title": "培训手册", "file": fake})
    assert refused.status_code == 200 and "该文件的内容不是这些格式" in text(refused)
    real = SimpleUploadedFile("whatever.bin", PDF)
    assert (
        client.post(
            f"/app/training/{course.pk}/materials/new/", {"title": "培训手册", "file": real}
        ).status_code
        == 302
    )
    material = TrainingMaterial.objects.get()
    download = client.get(f"/app/training/materials/{material.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"] and ".pdf" in download["Content-Disposition"]
    starts = timezone.localtime() + timedelta(days=2)
    session = client.post(
        f"/app/training/{course.pk}/sessions/new/",
        {"starts_at": f"{starts:%Y-%m-%dT09:00}", "ends_at": f"{starts:%Y-%m-%dT11:00}",
         "place": "郑州东站", "capacity": "40"},
    )  # fmt: skip
    assert session.status_code == 302 and "/app/training/sessions/" in session["Location"]
    assert (
        client.post(f"/app/training/{course.pk}/required/", {"required_for": training.team.pk}).status_code
        == 302
    )
    page = client.get(f"/app/training/{course.pk}/")
    assert training.team.name in section(page, "required") and "培训手册" in section(page, "materials")
    assert "已报名 0/40" in section(page, "sessions")


def test_a_volunteer_registers_and_the_officer_marks_everyone_present_in_one_post(training):
    me = as_user(training.volunteer.user)
    mine = me.get("/app/me/training/")
    assert "《培训手册》" in section(mine, "required") and "报名" in section(mine, "upcoming")
    registered = me.post(
        f"/app/training/sessions/{training.session.pk}/register/", {"next": "/app/me/training/"}
    )
    assert registered["Location"] == "/app/me/training/"
    assert "已报名" in section(me.get("/app/me/training/"), "upcoming")
    # the officer sees the sheet and presses 全部出席
    officer = as_user(training.officer)
    sheet = section(officer.get(f"/app/training/sessions/{training.session.pk}/"), "attendance")
    assert training.volunteer.number in sheet and "全部出席" in sheet
    marked = officer.post(
        f"/app/training/sessions/{training.session.pk}/attendance/",
        {"listed": [training.volunteer.pk], "all": "1"},
        **HX,
    )
    assert "已保存出席情况：1人出席。" in text(marked) and "<html" not in text(marked)
    after = me.get("/app/me/training/")
    assert "没有待完成的必修培训。" in section(after, "required") and "《培训手册》" in section(
        after, "completed"
    )
    # unticking them marks them absent
    officer.post(
        f"/app/training/sessions/{training.session.pk}/attendance/", {"listed": [training.volunteer.pk]}
    )
    assert TrainingAttendance.objects.get().status == "absent" and not TrainingCompletion.objects.exists()


def test_my_page_loads_the_training_summary(training):
    me = as_user(training.volunteer.user)
    assert 'hx-get="/app/me/training/"' in section(me.get("/app/me/"), "training")
    summary = text(me.get("/app/me/training/", **HX))
    assert "<html" not in summary and "《培训手册》" in summary and "待完成" in summary


def test_a_volunteer_sees_the_course_but_cannot_manage_it(training):
    me = as_user(training.volunteer.user)
    assert me.get(f"/app/training/{training.course.pk}/").status_code == 200
    session = me.get(f"/app/training/sessions/{training.session.pk}/")
    assert session.status_code == 200 and 'id="attendance"' not in text(session)
    assert me.get(f"/app/training/{training.course.pk}/edit/").status_code == 403
    assert (
        me.post(f"/app/training/sessions/{training.session.pk}/attendance/", {"all": "1"}).status_code == 403
    )
    assert me.get("/app/training/new/").status_code == 403


def test_another_districts_training_pages_are_not_found(world, training):
    material = TrainingMaterial.objects.create(
        course=training.course, title="手册", url="https://example.org/"
    )
    west = as_user(world.west_officer)
    course, session = training.course.pk, training.session.pk
    for path in (f"/app/training/{course}/", f"/app/training/{course}/edit/",
                 f"/app/training/sessions/{session}/", f"/app/training/materials/{material.pk}/"):  # fmt: skip
        assert west.get(path).status_code == 404, path
    assert west.post(f"/app/training/sessions/{session}/attendance/", {"all": "1"}).status_code == 404
    assert west.post(f"/app/training/materials/{material.pk}/remove/").status_code == 404
    stranger = make_volunteer(world.west_team, world.west, start=905, prefix="西")
    assert as_user(stranger.user).post(f"/app/training/sessions/{session}/register/").status_code == 404
    assert "《培训手册》" not in text(west.get("/app/training/"))
    assert TrainingMaterial.objects.exists() and not TrainingAttendance.objects.exists()


def test_another_districts_training_is_not_found_through_the_api(world, training):
    west = Api(world.west_officer)
    west_volunteer = make_volunteer(world.west_team, world.west, start=904, prefix="西")
    course, session = training.course.pk, training.session.pk
    assert west.get(f"/training/courses/{course}").status_code == 404
    assert west.patch(f"/training/courses/{course}", {"name": "改"}).status_code == 404
    assert west.get(f"/training/courses/{course}/sessions").status_code == 404
    starts = timezone.now() + timedelta(days=1)
    new_session = {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()}
    assert (
        west.post(
            f"/training/courses/{course}/sessions", {**new_session, "place": "x", "capacity": 1}
        ).status_code
        == 404
    )
    assert west.post(f"/training/sessions/{session}/attendance", {"attended": []}).status_code == 404
    assert Api(west_volunteer.user).post(f"/training/sessions/{session}/register", {}).status_code == 404
    assert west.get("/training/courses").json()["count"] == 0
    assert TrainingCourse.objects.get().name == "《培训手册》" and TrainingSession.objects.count() == 1
    assert not TrainingAttendance.objects.exists()


def bulk_courses(training: Training, count: int) -> None:
    """`count` required courses, each with an upcoming session, half of them completed by the volunteer."""
    courses = TrainingCourse.objects.bulk_create(
        TrainingCourse(
            organizer=training.brigade, name=f"课程{i}", content="x", hours=1, date=date(2019, 1, 1)
        )
        for i in range(count)
    )
    TrainingCourse.required_for.through.objects.bulk_create(
        TrainingCourse.required_for.through(trainingcourse=c, organization=training.team) for c in courses
    )
    starts = timezone.now() + timedelta(days=2)
    TrainingSession.objects.bulk_create(
        TrainingSession(
            course=c, starts_at=starts, ends_at=starts + timedelta(hours=1), place="x", capacity=5
        )
        for c in courses
    )
    TrainingCompletion.objects.bulk_create(
        TrainingCompletion(course=c, volunteer=training.volunteer, completed_on=date(2019, 1, 2))
        for c in courses[::2]
    )


@pytest.mark.parametrize("size", [10, 1000])
def test_api_lists_take_the_same_queries_at_any_size(training, size, django_assert_num_queries):
    bulk_courses(training, size)
    officer, me = Api(training.officer), Api(training.volunteer.user)
    # token + last-used stamp, grants, memberships (courses that reach me), count, page, required_for
    with django_assert_num_queries(7):
        assert officer.get("/training/courses?limit=100").json()["count"] == size + 1
    # token + stamp, volunteer, memberships, required, completed, upcoming
    with django_assert_num_queries(7):
        body = me.get("/me/training").json()
    assert (len(body["required"]), len(body["completed"])) == (size // 2 + 1, size // 2)


@pytest.mark.parametrize("size", [10, 1000])
def test_pages_take_the_same_queries_at_any_size(world, training, size, django_assert_num_queries):
    bulk_courses(training, size)
    session = make_session(training.course, training.officer, capacity=2000, days=4)
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, volunteer=v)
        for v in bulk_volunteers(world.east, size, start=2000)
    )
    officer, me = as_user(training.officer), as_user(training.volunteer.user)
    # session, user, grants, memberships, count, page
    with django_assert_num_queries(6):
        assert officer.get("/app/training/").status_code == 200
    # session, user, grants (they also say: no volunteer profile), memberships, session with counts, sheet
    with django_assert_num_queries(6):
        sheet = officer.get(f"/app/training/sessions/{session.pk}/")
    assert text(sheet).count('name="attended"') == size
    # session, user, grants (the menu; they say a profile exists), volunteer, memberships, required,
    # completed, upcoming
    with django_assert_num_queries(8):
        mine = me.get("/app/me/training/")
    assert section(mine, "required").count("待完成") == size // 2 + 1


def test_training_done_elsewhere_is_recorded_by_volunteer_number(training):
    officer = as_user(training.officer)
    url = f"/app/training/{training.course.pk}/completions/new/"
    unknown = officer.post(url, {"volunteer": "ZY404", "completed_on": "2019-01-10"})
    assert "未找到该志愿者。" in text(unknown)
    done = officer.post(url, {"volunteer": training.volunteer.number.lower(), "completed_on": "2019-01-10"})
    assert done.status_code == 302
    assert TrainingCompletion.objects.get().completed_on == date(2019, 1, 10)
