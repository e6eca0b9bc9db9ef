"""Children pairing and school donations (issue 8 §6): guardian consent, under-14 rules, contacts logged,
donation totals — and a child's personal data seen only by the responsible officer and the platform admin;
another officer of the same office sees a masked row, and nothing at all on the child's own page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.community.models import Child, PairingContact
from zhiyuan.community.selectors.children import donation_totals
from zhiyuan.community.services import children as services
from zhiyuan.core import access
from zhiyuan.organizations.roles import Role

YEAR = timezone.localdate().year


def register(world, by=None, **extra):
    values = {
        "name": "刘小明",
        "birth_year": YEAR - 9,
        "school": "金水区某务工子弟小学（演示）",
        "guardian_name": "刘某",
        "guardian_phone": "13812345678",
        "guardian_consent": True,
        "consent_note": "监护人当面签署知情同意书",
    }
    return services.child_register(
        by=by or world.east_officer, organization=world.east, **{**values, **extra}
    )


def volunteer(world, age: int, guardian: str = "", prefix="小"):
    v = bulk_volunteers(world.east, 1, prefix=prefix, start=hash(prefix) % 1000)[0]
    today = timezone.localdate()
    v.birth_date = date(today.year - age, 1, 1)
    v.guardian_name = guardian
    v.save()
    return v


def test_a_child_is_registered_only_with_the_guardians_consent(world):
    with pytest.raises(ValidationError) as exc:
        register(world, guardian_consent=False, consent_note="", guardian_phone="123")
    assert {"guardian_consent", "consent_note", "guardian_phone"} <= set(exc.value.message_dict)
    assert "监护人同意" in exc.value.message_dict["guardian_consent"][0]
    child = register(world)
    assert child.consent_at is not None and child.responsible == world.east_officer
    with pytest.raises(ValidationError):
        register(world, birth_year=YEAR - 20)  # only minors


def test_little_volunteers_under_6_are_refused_and_under_14_need_a_guardian(world):
    child = register(world)
    with pytest.raises(ValidationError, match="未满6周岁"):
        services.pairing_create(
            by=world.east_officer, child=child, volunteer=volunteer(world, 5, "家长", "甲")
        )
    with pytest.raises(ValidationError, match="监护人"):
        services.pairing_create(by=world.east_officer, child=child, volunteer=volunteer(world, 11, "", "乙"))
    pairing = services.pairing_create(
        by=world.east_officer, child=child, volunteer=volunteer(world, 11, "王家长", "丙")
    )
    contact = services.pairing_contact_add(
        by=world.east_officer,
        pairing=pairing,
        day=timezone.localdate(),
        kind=PairingContact.Kind.STUDY,
        help_given="寒假作业辅导",
    )
    assert contact.pairing == pairing


def test_another_officer_of_the_same_office_sees_the_child_masked_or_not_at_all(world, api_as):
    child = register(world)
    colleague = MembershipFactory(organization=world.east, role=Role.OFFICER).user
    # the list shows a masked row, no school or guardian
    c = Client()
    c.force_login(colleague)
    body = c.get("/app/community/children/").content.decode()
    assert (
        "刘**" in body and "刘小明" not in body and "务工子弟小学" not in body and "13812345678" not in body
    )
    # the child's page, pairing and contact endpoints are not found
    assert c.get(f"/app/community/children/{child.pk}/").status_code == 404
    assert c.post(f"/app/community/children/{child.pk}/pair/", {"volunteer_number": "x"}).status_code == 404
    api = api_as(colleague)
    [row] = api.get("/community/children").json()["items"]
    assert row == {
        "id": child.pk,
        "revealed": False,
        "name": "刘**",
        "birth_year": None,
        "school": None,
        "guardian_name": None,
        "guardian_phone": None,
        "consent_at": None,
        "pairing_count": 0,
    }
    assert api.get(f"/community/children/{child.pk}").status_code == 404
    # the west officer sees nothing at all
    assert api_as(world.west_officer).get("/community/children").json()["count"] == 0
    # the responsible officer and the platform admin see everything
    own = Client()
    own.force_login(world.east_officer)
    assert "13812345678" in own.get(f"/app/community/children/{child.pk}/").content.decode()
    assert (
        api_as(world.admin).get(f"/community/children/{child.pk}").json()["guardian_phone"] == "13812345678"
    )


def test_a_pairings_responsible_officer_sees_the_child(world):
    child = register(world)
    other = MembershipFactory(organization=world.east, role=Role.OFFICER).user
    v = volunteer(world, 30, prefix="丁")
    assert not services.child_visible(other, child)
    services.pairing_create(by=world.east_officer, child=child, volunteer=v, responsible=other)
    assert services.child_visible(other, child)
    with pytest.raises(access.PermissionDenied):
        services.pairing_create(
            by=MembershipFactory(organization=world.east, role=Role.OFFICER).user, child=child, volunteer=v
        )


def test_pairing_through_the_page_by_volunteer_number(world):
    child = register(world)
    v = volunteer(world, 12, "张家长", "戊")
    c = Client()
    c.force_login(world.east_officer)
    assert (
        c.post(f"/app/community/children/{child.pk}/pair/", {"volunteer_number": v.number}).status_code == 302
    )
    assert child.pairings.get().volunteer == v
    page = c.get(f"/app/community/children/{child.pk}/")
    assert v.user.display_name in page.content.decode()


def test_donations_total_per_school_and_item_and_stay_in_scope(world, api_as):
    day = timezone.localdate() - timedelta(days=1)
    for qty, donor in ((100, "某爱心企业（演示）"), (50, "小小志愿者班级（演示）")):
        services.donation_record(
            by=world.east_officer,
            organization=world.east,
            school="务工子弟小学（演示）",
            items="保暖手套",
            quantity=qty,
            donor=donor,
            donated_on=day,
            unit="双",
        )
    services.donation_record(
        by=world.west_officer,
        organization=world.west,
        school="西区小学（演示）",
        items="书包",
        quantity=30,
        donor="某银行（演示）",
        donated_on=day,
        unit="个",
    )
    assert donation_totals(user=world.east_officer) == [
        {"school": "务工子弟小学（演示）", "items": "保暖手套", "unit": "双", "donations": 2, "quantity": 150}
    ]
    assert len(donation_totals(user=world.admin)) == 2
    assert api_as(world.west_officer).get("/community/donations").json()["count"] == 1
    bad = api_as(world.east_officer).post(
        "/community/donations",
        {
            "organization_id": world.east.pk,
            "school": "",
            "items": "",
            "quantity": 1,
            "donor": "",
            "donated_on": str(day),
        },
    )
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {
        "school",
        "items",
        "donor",
    }


def test_children_are_audited(world):
    child = register(world)
    assert Child.history.get(id=child.pk).history_user == world.east_officer


def test_withdrawn_consent_erases_the_childs_data_and_ends_pairings(world):
    child = register(world)
    pairing = services.pairing_create(
        by=world.east_officer, child=child, volunteer=volunteer(world, 30, prefix="己")
    )
    other = MembershipFactory(organization=world.east, role=Role.OFFICER).user
    c = Client()
    c.force_login(other)
    assert c.post(f"/app/community/children/{child.pk}/withdraw/").status_code == 404
    own = Client()
    own.force_login(world.east_officer)
    assert own.post(f"/app/community/children/{child.pk}/withdraw/").status_code == 302
    child.refresh_from_db()
    pairing.refresh_from_db()
    assert (child.name, child.school, child.guardian_phone) == ("（已撤回）", "", "")
    assert pairing.ended_on == timezone.localdate()
    kept = {(h.name, h.guardian_phone) for h in Child.history.filter(id=child.pk)}
    assert kept == {("（已撤回）", "")}  # not even the audit trail keeps what was erased
