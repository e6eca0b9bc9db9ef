"""Cancelling a shift (issue 17): every sign-up and the waiting list are given back, each booked volunteer
is told why with a link to their shifts, the shift takes no more sign-ups; only its managers may, and only
before it starts; the page and the API do the same."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import Api
from tests.test_pages import as_user
from tests.test_shifts import make_shift, rota, shift, sign
from zhiyuan.campaigns.models import Shift, Signup, SwapRequest
from zhiyuan.campaigns.services import shifts as services
from zhiyuan.campaigns.services.shift_cancel import shift_cancel
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.notifications.models import Notification

__all__ = ["rota", "shift"]
S = Signup.Status


def test_a_leader_cancels_and_everyone_booked_hears_why(
    world, rota, shift, django_capture_on_commit_callbacks
):
    a, b, c, d = rota.volunteers[:4]
    sign(a, shift), sign(b, shift), sign(c, shift)  # capacity 2: c waits
    swap = services.swap_request_create(by=a.user, signup=Signup.objects.get(volunteer=a), to_volunteer=d)
    with django_capture_on_commit_callbacks(execute=True):
        given_back = shift_cancel(by=rota.leader, shift=shift, reason="严重雾霾")
    shift.refresh_from_db()
    assert len(given_back) == 3 and shift.accepted_count == 0 and shift.cancel_reason == "严重雾霾"
    assert set(Signup.objects.filter(shift=shift).values_list("status", flat=True)) == {S.CANCELLED}
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.REJECTED
    told = Notification.objects.filter(key=f"shift-cancel:{shift.pk}")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(v.user_id for v in (a, b, c))
    note = told.first()
    assert "严重雾霾" in note.body and note.url == "/app/me/shifts/"
    assert not Notification.objects.filter(user=d.user, key=f"shift-cancel:{shift.pk}").exists()
    # the history says who and why
    assert shift.history.first().history_user == rota.leader
    # nobody can sign up any more, nor can it be edited or cancelled twice
    with pytest.raises(Refused, match="已取消"):
        sign(d, shift)
    with pytest.raises(Refused, match="已取消"):
        services.shift_update(by=rota.leader, shift=shift, capacity=5)
    with pytest.raises(Refused, match="已取消"):
        shift_cancel(by=rota.leader, shift=shift, reason="再来")


def test_only_managers_before_the_start_with_a_reason(world, rota, shift):
    volunteer = rota.volunteers[0]
    sign(volunteer, shift)
    with pytest.raises(access.PermissionDenied):
        shift_cancel(by=volunteer.user, shift=shift, reason="我不想去")
    with pytest.raises(ValidationError) as exc:
        shift_cancel(by=rota.leader, shift=shift, reason="   ")
    assert "reason" in exc.value.message_dict
    started = make_shift(rota.leader, world.east_team, days=1, hours=(0, 23))
    Shift.objects.filter(pk=started.pk).update(starts_at=started.starts_at.replace(year=2020))
    started.refresh_from_db()
    with pytest.raises(Refused, match="已开始"):
        shift_cancel(by=rota.leader, shift=started, reason="晚了")
    assert Shift.objects.get(pk=shift.pk).cancelled_at is None


def test_the_page_and_the_api_cancel(world, rota, shift):
    sign(rota.volunteers[0], shift)
    page = as_user(rota.leader)
    assert "取消班次" in page.get(f"/app/shifts/{shift.pk}/").content.decode()
    response = page.post(f"/app/shifts/{shift.pk}/cancel/", {"reason": ""})
    assert response.status_code == 302 and Shift.objects.get(pk=shift.pk).cancelled_at is None
    page.post(f"/app/shifts/{shift.pk}/cancel/", {"reason": "站点关闭"})
    html = as_user(rota.volunteers[0].user).get(f"/app/shifts/{shift.pk}/").content.decode()
    assert "站点关闭" in html and "已取消" in html

    other = make_shift(rota.leader, world.east_team, days=4)
    api = Api(rota.leader)
    assert api.post(f"/shifts/{other.pk}/cancel", {}).status_code == 422
    body = api.post(f"/shifts/{other.pk}/cancel", {"reason": "暴雪"}).json()
    assert body["told"] == 0 and body["shift"]["cancel_reason"] == "暴雪" and body["shift"]["cancelled_at"]
    again = api.post(f"/shifts/{other.pk}/cancel", {"reason": "暴雪"})
    assert again.status_code == 409 and again.json()["code"]
    assert Api(rota.volunteers[1].user).post(f"/shifts/{shift.pk}/cancel", {"reason": "x"}).status_code in (
        403,
        404,
    )
