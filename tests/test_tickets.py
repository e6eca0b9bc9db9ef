"""赠票 (attachment 3): claims never take more than remains, expired claims return to stock, the donor's unit
marks claims collected, the public forms are rate-limited, and attachment 3 is exported from the data."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import MembershipFactory
from tests.test_outreach_helpers import donation, running_campaign
from zhiyuan.campaigns.exports import export_attachment
from zhiyuan.core.access import PermissionDenied
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.roles import Role
from zhiyuan.outreach.models import TicketClaim, TicketDonation
from zhiyuan.outreach.services import tickets as services
from zhiyuan.outreach.tasks import ticket_claims_expire

S = TicketClaim.Status


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gift(world):
    return donation(world, running_campaign(world), quantity=5)


def claim(gift, phone="13800138000", quantity=2, **extra):
    return services.claim_create(donation=gift, name="李某", phone=phone, quantity=quantity, **extra)


def test_a_claim_takes_from_stock_and_over_claims_are_refused(gift):
    first = claim(gift, quantity=4)
    assert first.status == S.RESERVED and len(first.code) == 10
    assert TicketDonation.objects.get(pk=gift.pk).remaining == 1
    with pytest.raises(Refused, match="只剩1张"):
        claim(gift, phone="13900139000", quantity=2)
    claim(gift, phone="13900139000", quantity=1)
    with pytest.raises(Refused, match="已领完"):
        claim(gift, phone="13700137000", quantity=1)
    assert TicketDonation.objects.get(pk=gift.pk).claimed == 5


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(gift):
    with pytest.raises(ValidationError) as caught:
        services.claim_create(donation=gift, kind="group", name="", phone="12345", quantity=9)
    errors = caught.value.message_dict
    assert set(errors) == {"name", "contact_name", "phone", "quantity"}
    assert "每次最多领取4张" in errors["quantity"][0]
    assert "11位手机号码" in errors["phone"][0]
    with pytest.raises(ValidationError, match="至少为1张"):
        claim(gift, quantity=0)
    assert not TicketClaim.objects.exists() and TicketDonation.objects.get(pk=gift.pk).claimed == 0


def test_one_open_claim_per_phone_and_closed_or_unpublished_donations_refuse(world, gift):
    claim(gift)
    with pytest.raises(Refused, match="已预约"):
        claim(gift, phone="+86 138-0013-8000", quantity=1)
    later = donation(world, gift.campaign, claim_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(Refused, match="开始预约"):
        claim(later)
    closed = donation(world, gift.campaign, claim_closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Refused, match="截止"):
        claim(closed)
    hidden = donation(world, gift.campaign, published=False)
    with pytest.raises(Refused, match="未开放"):
        claim(hidden)


def test_a_group_claim_by_an_organisation(gift):
    made = services.claim_create(
        donation=gift,
        kind="group",
        name="某建筑公司项目部",
        contact_name="赵某",
        phone="13800138000",
        quantity=4,
    )
    assert made.kind == "group" and made.contact_name == "赵某"


def test_expired_claims_return_to_stock_lazily_on_read_and_by_the_task(gift):
    past = timezone.now() - timedelta(hours=gift.hold_hours + 1)
    old = claim(gift, quantity=3, now=past)
    assert TicketDonation.objects.get(pk=gift.pk).remaining == 2
    # reading the public list gives the tickets back before counting
    assert "剩余 5 张" in Client().get("/tickets/").content.decode()
    old.refresh_from_db()
    assert old.status == S.EXPIRED
    # and the task does the same for claims no one looked at
    again = claim(gift, phone="13900139000", quantity=4, now=past)
    assert ticket_claims_expire.call() == 4
    again.refresh_from_db()
    assert again.status == S.EXPIRED and TicketDonation.objects.get(pk=gift.pk).claimed == 0
    assert ticket_claims_expire.call() == 0


def test_an_expiring_claim_frees_its_tickets_for_the_next_claimant(gift):
    past = timezone.now() - timedelta(hours=gift.hold_hours + 1)
    claim(gift, quantity=4, now=past)
    claim(gift, phone="13900139000", quantity=4)  # would be an over-claim if the old one still held
    assert TicketDonation.objects.get(pk=gift.pk).claimed == 4


def test_the_donors_unit_marks_a_claim_collected_once(world, gift):
    made = claim(gift)
    liaison = MembershipFactory(organization=world.east, role=Role.LIAISON).user
    done = services.claim_collect(by=liaison, claim=made)
    assert done.status == S.COLLECTED and done.closed_by == liaison
    with pytest.raises(Refused, match="已于"):
        services.claim_collect(by=liaison, claim=made)
    with pytest.raises(Refused):
        services.claim_cancel(by=liaison, claim=made)
    # collected tickets stay counted
    assert TicketDonation.objects.get(pk=gift.pk).claimed == 2
    with pytest.raises(PermissionDenied):
        services.claim_collect(by=world.west_officer, claim=claim(gift, phone="13900139000"))


def test_an_expired_claim_cannot_be_collected(world, gift):
    made = claim(gift, now=timezone.now() - timedelta(hours=gift.hold_hours + 1))
    with pytest.raises(Refused, match="已过期"):
        services.claim_collect(by=world.east_officer, claim=made)


def test_the_claimant_cancels_with_the_code_and_the_tickets_go_back(gift):
    made = claim(gift, quantity=3)
    response = Client().post(f"/tickets/claim/{made.code}/cancel/", follow=True)
    assert "已取消" in response.content.decode()
    assert TicketDonation.objects.get(pk=gift.pk).claimed == 0


def test_the_claim_page_refuses_over_claims_and_bad_fields_in_chinese(gift):
    c = Client()
    bad = c.post(f"/tickets/{gift.pk}/claim/", {"kind": "person", "name": "", "phone": "1", "quantity": "0"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert ("11位手机号码" in html and "这个字段是必填项" in html) or "必填" in html
    claim(gift, quantity=4)
    over = c.post(
        f"/tickets/{gift.pk}/claim/",
        {"kind": "person", "name": "王某", "phone": "13900139000", "quantity": "2"},
    )
    assert over.status_code == 422 and "只剩1张" in over.content.decode()
    assert TicketDonation.objects.get(pk=gift.pk).claimed == 4


def test_claims_are_rate_limited_per_phone_and_per_ip(world, gift):
    big = donation(world, gift.campaign, quantity=500, per_claim_limit=1)
    c = Client()
    for _ in range(5):  # the same phone: the first succeeds, then "already claimed", then the limit
        c.post(
            f"/tickets/{big.pk}/claim/",
            {"kind": "person", "name": "王某", "phone": "13900139000", "quantity": "1"},
        )
    limited = c.post(
        f"/tickets/{big.pk}/claim/",
        {"kind": "person", "name": "王某", "phone": "13900139000", "quantity": "1"},
    )
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    other_ip = Client(REMOTE_ADDR="10.0.0.9")
    ok = other_ip.post(
        f"/tickets/{big.pk}/claim/",
        {"kind": "person", "name": "张某", "phone": "13700137000", "quantity": "1"},
    )
    assert ok.status_code == 302
    for i in range(25):
        last = other_ip.post(
            f"/tickets/{big.pk}/claim/",
            {"kind": "person", "name": "张某", "phone": f"1370013{i:04d}", "quantity": "1"},
        )
    assert last.status_code == 429
    assert TicketClaim.objects.filter(donation=big).count() == 1 + 20  # the first phone, then the IP cap


def test_the_status_look_up_shows_only_that_claim_masked(gift):
    mine = claim(gift, phone="13800138000")
    theirs = claim(gift, phone="13900139000", quantity=1)
    html = Client().get(f"/tickets/claim/{mine.code}/").content.decode()
    assert mine.code in html and theirs.code not in html
    assert "138****8000" in html and "13800138000" not in html and "李某" not in html
    assert "no-store" in Client().get(f"/tickets/claim/{mine.code}/")["Cache-Control"]


def test_attachment_3_is_the_seed_form_filled_from_the_donations(world):
    from zhiyuan.seeds.campaign_chunyun_2019 import FORM_NOTES

    campaign = running_campaign(world, slug="chunyun-2019")
    campaign.form_notes = FORM_NOTES  # what the seed loader stores
    campaign.save()
    empty = load_workbook(io.BytesIO(export_attachment(campaign, 3)))
    blank = list(empty.active.iter_rows(values_only=True))
    assert blank[0][0] == "附件3："
    assert [r[0] for r in blank[2:10]] == [
        "赠票单位",
        "主管单位",
        "赠票数量",
        "领取要求",
        "领取时间",
        "领取地点",
        "联系人及联系方式",
        "备注",
    ]
    assert blank[5][1] == "（如：提供身份证复印件等）"
    donation(world, campaign, quantity=200)
    donation(world, campaign, quantity=80, donor="郑州文庙（演示）", requirements="")
    book = load_workbook(io.BytesIO(export_attachment(campaign, 3)))
    assert len(book.worksheets) == 2
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert "免费向外来务工人员赠票活动情况统计表" in rows[1][0] and "春运期间" in rows[1][0]
    assert [(label, value or "") for label, value in rows[2:10]] == [
        ("赠票单位", "郑州市动物园（演示）"),
        ("主管单位", "市园林局"),
        ("赠票数量", "200"),
        ("领取要求", "提供身份证复印件"),
        ("领取时间", "工作日 9:00-17:00"),
        ("领取地点", "动物园北门售票处"),
        ("联系人及联系方式", "王某 0371-60000000"),
        ("备注", ""),
    ]
    assert rows[10][0].startswith("备注：请1月23日12时前") and "伊河大厦1301室" in rows[10][0]
    assert list(book.worksheets[1].iter_rows(values_only=True))[5][1] == "（如：提供身份证复印件等）"
