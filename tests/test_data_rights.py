import io
import json

import pytest
from openpyxl import load_workbook

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import DeletionRequest, IdReveal, Volunteer
from zhiyuan.people.services.data_rights import deletion_request_create, deletion_request_process
from zhiyuan.people.services.volunteers import volunteer_reveal_id


@pytest.fixture
def volunteer(world):
    v = bulk_volunteers(world.east, 1, prefix="数据")[0]
    v.user.set_password("pass-word-123")
    v.user.save()
    return v


def test_a_volunteer_downloads_everything_including_who_saw_their_id(world, volunteer, client):
    volunteer_reveal_id(by=world.east_officer, volunteer=volunteer, reason="购买保险")
    client.force_login(volunteer.user)
    data = json.loads(client.get("/app/me/data.json").content)
    assert data["profile"]["志愿者编号"] == volunteer.number
    assert len(data["profile"]["证件号码"]) == 18  # their own number, in full
    assert data["id_reveals"][0]["原因"] == "购买保险"
    book = load_workbook(io.BytesIO(client.get("/app/me/data.xlsx").content))
    assert book.sheetnames[0] == "个人信息" and "证件号码查看记录" in book.sheetnames
    # printed: A4 at the page's width, and each list repeats its header row on every page
    for sheet in book.worksheets[1:]:
        assert sheet.page_setup.paperSize == 9 and sheet.print_title_rows == "$1:$1", sheet.title
    assert client.get("/app/me/data.csv").status_code == 404


def test_deletion_anonymises_but_keeps_the_row(world, volunteer, client):
    client.force_login(volunteer.user)
    client.post("/app/me/delete/", {"reason": "不再参加"})
    request = DeletionRequest.objects.get()
    assert Volunteer.objects.get(pk=volunteer.pk).status == "deletion_requested"
    with pytest.raises(Refused):
        deletion_request_create(volunteer=Volunteer.objects.get(pk=volunteer.pk))
    # another district's officer cannot even see the request
    client.force_login(world.west_officer)
    assert client.post(f"/app/deletions/{request.pk}/decide/", {"approve": "1"}).status_code == 404
    deletion_request_process(by=world.east_officer, request=request, approve=True, note="已核实")
    v = Volunteer.objects.select_related("user").get(pk=volunteer.pk)
    assert (v.status, v.user.full_name, v.user.mobile, v.id_cipher, v.residence) == (
        "anonymised",
        "已注销志愿者",
        "",
        "",
        "",
    )
    assert v.birth_date.month == 1 and v.birth_date.day == 1 and not v.user.is_active
    # the audit trail no longer names them either
    assert not User.history.filter(id=v.user_id, full_name=volunteer.user.full_name).exists()
    assert not User.history.filter(id=v.user_id, mobile=volunteer.user.mobile).exists()
    # and they are gone from searches
    client.force_login(world.east_officer)
    assert volunteer.number not in client.get("/app/volunteers/").content.decode()


def test_refusing_needs_a_reason_and_restores_the_status(world, volunteer):
    request = deletion_request_create(volunteer=volunteer)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        deletion_request_process(by=world.east_officer, request=request, approve=False)
    deletion_request_process(by=world.east_officer, request=request, approve=False, note="服务记录争议未结")
    assert Volunteer.objects.get(pk=volunteer.pk).status == "active"
    leader_of_other = MembershipFactory(organization=world.west, role=Role.OFFICER).user
    again = deletion_request_create(volunteer=volunteer)
    from zhiyuan.core.access import PermissionDenied

    with pytest.raises(PermissionDenied):
        deletion_request_process(by=leader_of_other, request=again, approve=True)
    assert not IdReveal.objects.exists()


def test_the_api_gives_my_data_and_takes_a_deletion_request(world, volunteer):
    from tests.conftest import Api

    api = Api(volunteer.user)
    assert api.get("/me/data").json()["profile"]["志愿者编号"] == volunteer.number
    assert api.post("/me/deletion-request", {"reason": "搬家"}).status_code == 201
    assert api.post("/me/deletion-request", {}).status_code == 409
    assert Api(world.east_officer).get("/me/data").status_code == 404


def test_my_page_offers_the_downloads_once_and_has_a_plain_title(world, volunteer, client):
    client.force_login(volunteer.user)
    page = client.get("/app/me/").content.decode()
    assert page.count('id="my-data"') == 1
    assert "<title>我的 · zhiyuan</title>" in page
