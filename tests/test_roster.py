import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers, roster_row, roster_xlsx
from zhiyuan.organizations.models import Membership
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import IdReveal, RosterImport, Volunteer
from zhiyuan.people.services.roster_export import roster_export, roster_template
from zhiyuan.people.services.roster_import import roster_import_start


@pytest.fixture(autouse=True)
def _inline_tasks_and_media(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


def upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def run_import(world, path, django_capture_on_commit_callbacks, by=None) -> RosterImport:
    with django_capture_on_commit_callbacks(execute=True):
        job = roster_import_start(
            by=by or world.east_officer,
            organization=world.east,
            upload=upload(path),
            consent_evidence="名单人员均已签字同意",
        )
    job.refresh_from_db()
    return job


def test_a_roster_imports_volunteers_and_team_memberships_once(
    world, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "名单.xlsx"
    roster_xlsx(path, [roster_row(i, team="青年志愿服务队（东）") for i in range(1, 21)])
    job = run_import(world, path, django_capture_on_commit_callbacks)
    assert (job.status, job.created_volunteers, job.created_memberships, job.errors) == ("done", 20, 20, [])
    assert (job.total_rows, job.processed_rows) == (20, 20)
    v = Volunteer.objects.get(user__full_name="名单某1")
    assert v.home_organization == world.east and v.entered_by == world.east and v.number.startswith("ZY")
    assert [s.name for s in v.skills.all()] == ["驾驶"]
    assert v.consents.filter(kind="entry_by_org", evidence="名单人员均已签字同意").exists()
    assert not v.user.has_usable_password()
    # when the same file comes again, then nothing new is created
    again = run_import(world, path, django_capture_on_commit_callbacks)
    assert (again.status, again.created_volunteers, again.created_memberships, again.unchanged_rows) == (
        "done",
        0,
        0,
        20,
    )
    assert Volunteer.objects.count() == 20 and Membership.objects.filter(role="volunteer").count() == 20


def test_a_file_with_three_bad_rows_imports_nothing_and_lists_all_three(
    world, tmp_path, django_capture_on_commit_callbacks
):
    rows = [roster_row(i) for i in range(1, 11)]
    rows[2] = roster_row(3, **{"证件号码": "410105199001011230"})  # wrong check digit
    rows[5] = roster_row(6, **{"手机号码": "12345"})
    rows[8] = roster_row(9, **{"姓名": "=cmd|' /C calc'!A0"})  # formula injection
    path = tmp_path / "bad.xlsx"
    roster_xlsx(path, rows)
    job = run_import(world, path, django_capture_on_commit_callbacks)
    assert job.status == "rejected"
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "证件号码"), (7, "手机号码"), (10, "姓名")]
    assert not Volunteer.objects.exists()


def test_duplicates_inside_the_file_and_against_the_register_are_errors(
    world, tmp_path, django_capture_on_commit_callbacks
):
    taken = bulk_volunteers(world.east, 1)[0]
    rows = [
        roster_row(1),
        roster_row(2, **{"证件号码": roster_row(1)[3]}),
        roster_row(3, **{"手机号码": taken.user.mobile}),
    ]
    path = tmp_path / "dup.xlsx"
    roster_xlsx(path, rows)
    job = run_import(world, path, django_capture_on_commit_callbacks)
    assert job.status == "rejected"
    assert {(e["row"], e["message"]) for e in job.errors} == {
        (3, "与第2行重复"),
        (4, "该手机号已注册为其他志愿者"),
    }


def test_missing_columns_unknown_team_and_roles_above_the_importer(
    world, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "cols.xlsx"
    roster_xlsx(path, [["某", "13600000001"]], headers=["姓名", "手机号码"])
    job = run_import(world, path, django_capture_on_commit_callbacks)
    assert job.status == "rejected" and "证件号码" in job.errors[0]["message"]
    path = tmp_path / "team.xlsx"
    # a 队长 may not hand out 文明办工作人员, which can see full ID numbers and they cannot
    leader = MembershipFactory(organization=world.east, role=Role.LEADER).user
    roster_xlsx(
        path,
        [
            roster_row(1, team="巾帼志愿服务队（西）"),
            roster_row(2, team="青年志愿服务队（东）", **{"角色": "文明办工作人员"}),
        ],
    )
    job = run_import(world, path, django_capture_on_commit_callbacks, by=leader)
    assert [e["column"] for e in job.errors] == ["队伍", "角色"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.xlsx", b"not a spreadsheet", "xlsx"),
        ("a.xlsx", b"PK\x03\x04broken", "损坏"),
        ("a.csv", "姓名,手机号码\n".encode(), "xlsx"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_cleanly(world, name, content, message):
    with pytest.raises(ValidationError) as exc:
        roster_import_start(
            by=world.east_officer,
            organization=world.east,
            upload=SimpleUploadedFile(name, content),
            consent_evidence="签字",
        )
    assert message in exc.value.message_dict["file"][0]
    assert not RosterImport.objects.exists()


def test_too_large_files_and_missing_consent_are_refused(world, settings, tmp_path):
    from zhiyuan.core import spreadsheets

    path = tmp_path / "ok.xlsx"
    roster_xlsx(path, [roster_row(1)])
    big = upload(path)
    big.size = spreadsheets.MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError) as exc:
        roster_import_start(by=world.east_officer, organization=world.east, upload=big, consent_evidence="")
    assert set(exc.value.message_dict) == {"file", "consent_evidence"}


def test_the_export_masks_ids_unless_the_role_allows_and_never_writes_formulas(world):
    team = world.east_team
    volunteers = bulk_volunteers(world.east, 3)
    for v in volunteers:
        MembershipFactory(user=v.user, organization=team, role=Role.VOLUNTEER, title='=HYPERLINK("x")')
    sheet = load_workbook(io.BytesIO(roster_export(by=world.east_officer, organization=team))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 3 and all("*" in r[6] for r in rows)
    # formula-looking text is stored as text (no formula, no visible apostrophe)
    cells = [c for r in sheet.iter_rows(min_row=3) for c in r if c.value is not None]
    assert all(c.data_type == "s" for c in cells if str(c.value).startswith(("=", "+", "-", "@")))
    assert any(c.value == '=HYPERLINK("x")' for c in cells)
    assert not IdReveal.objects.exists()
    full = load_workbook(
        io.BytesIO(roster_export(by=world.east_officer, organization=team, full_ids=True))
    ).active
    assert all(len(r[6]) == 18 and "*" not in r[6] for r in full.iter_rows(min_row=3, values_only=True))
    assert IdReveal.objects.count() == 3
    leader = MembershipFactory(organization=team, role=Role.LEADER).user
    from zhiyuan.core.access import PermissionDenied

    with pytest.raises(PermissionDenied):
        roster_export(by=leader, organization=team, full_ids=True)


def test_the_template_has_the_documented_chinese_headers():
    sheet = load_workbook(io.BytesIO(roster_template())).worksheets[0]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert headers[:4] == ["姓名", "手机号码", "证件类型", "证件号码"]


@pytest.mark.parametrize("size", [10, 1000])
def test_roster_export_query_count_does_not_grow(world, size, django_assert_max_num_queries):
    volunteers = bulk_volunteers(world.east, size)
    Membership.objects.bulk_create(
        [Membership(user=v.user, organization=world.east_team, role="volunteer") for v in volunteers]
    )
    officer = world.east_officer
    from zhiyuan.core import access

    access.roots(officer, "org.view")
    with django_assert_max_num_queries(4):
        roster_export(by=officer, organization=world.east_team)


def test_cross_organisation_roster_and_import_pages_are_404(
    world, client, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "x.xlsx"
    roster_xlsx(path, [roster_row(1)])
    job = run_import(world, path, django_capture_on_commit_callbacks)
    client.force_login(world.west_officer)
    assert client.get(f"/app/orgs/{world.east_team.pk}/roster.xlsx").status_code == 404
    assert client.get(f"/app/roster/{job.pk}/").status_code == 404
    client.force_login(world.east_officer)
    page = client.get(f"/app/roster/{job.pk}/")
    assert page.status_code == 200 and "新增志愿者 1 人" in page.content.decode()
    download = client.get(f"/app/orgs/{world.east_team.pk}/roster.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_uploading_through_the_page(world, client, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "page.xlsx"
    roster_xlsx(path, [roster_row(1), roster_row(2)])
    client.force_login(world.east_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/app/roster/",
            {"organization": world.east.pk, "upload": upload(path), "consent_evidence": "签字"},
        )
    assert response.status_code == 302
    status = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "新增志愿者 2 人" in status and "every 1s" not in status


def test_ten_thousand_rows_import_with_progress_and_again_create_nothing(
    world, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "big.xlsx"
    roster_xlsx(path, [roster_row(i, team="青年志愿服务队（东）") for i in range(1, 10_001)])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        job = run_import(world, path, django_capture_on_commit_callbacks)
    # the page polls processed_rows: it moved forward in steps while the file was read
    progress = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "processed_rows" in q["sql"]]
    assert (job.status, job.created_volunteers, job.total_rows) == ("done", 10_000, 10_000)
    assert len(progress) >= 20
    again = run_import(world, path, django_capture_on_commit_callbacks)
    assert (again.created_volunteers, again.created_memberships, again.unchanged_rows) == (0, 0, 10_000)


def test_the_export_lists_each_person_once_with_all_their_roles(world):
    team = world.east_team
    [v] = bulk_volunteers(world.east, 1)
    MembershipFactory(user=v.user, organization=team, role=Role.VOLUNTEER)
    MembershipFactory(user=v.user, organization=team, role=Role.MEMBER)
    sheet = load_workbook(io.BytesIO(roster_export(by=world.east_officer, organization=team))).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == v.number]
    assert len(rows) == 1
    assert set(rows[0][11].split("、")) == {str(Role.VOLUNTEER.label), str(Role.MEMBER.label)}
