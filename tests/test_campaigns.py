import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import UserFactory
from zhiyuan.campaigns.exports import NotAvailable, export_attachment
from zhiyuan.campaigns.models import Campaign, Duty, StationLink
from zhiyuan.campaigns.services.clone import campaign_clone
from zhiyuan.campaigns.services.rotation import RotationSpec, rotation_plan, spring_festival_days
from zhiyuan.core import holidays
from zhiyuan.core.models import Holiday
from zhiyuan.organizations.models import Organization
from zhiyuan.seeds.loader import load_seeds


@pytest.fixture
def seeded(db):
    load_seeds()
    return Campaign.objects.get(slug="chunyun-2019")


def test_the_2019_campaign_is_loaded_as_the_notice_writes_it(seeded):
    assert (seeded.theme, seeded.starts_on, seeded.ends_on, seeded.days) == (
        "温暖回乡路，共铸留守情",
        date(2019, 1, 21),
        date(2019, 3, 1),
        40,
    )
    assert [(p.name, p.starts_on, p.ends_on) for p in seeded.phases.all()] == [
        ("准备阶段", date(2019, 1, 21), date(2019, 1, 23)),
        ("实施阶段", date(2019, 1, 24), date(2019, 2, 26)),
        ("总结阶段", date(2019, 2, 27), date(2019, 3, 1)),
    ]
    assert [p.name for p in seeded.programmes.all()] == ["温暖回乡路", "共铸留守情"]
    stations = list(seeded.stations.all())
    assert len(stations) == 9 and sum(s.points for s in stations) == 10
    assert StationLink.objects.filter(station__campaign=seeded).count() == 17
    emergency = seeded.programmes.get(name="温暖回乡路").items.get(title__startswith="建立应急机制")
    assert [o.name for o in emergency.responsible.all()] == ["市委组织部"]
    assert Campaign.objects.filter(slug="five-hours-2019").exists()


def test_the_rotation_is_attachment_5_row_for_row(seeded):
    duties = list(seeded.duties.order_by("date"))
    assert (
        len(duties) == 27 and Duty.history.filter(campaign_id=seeded.pk).count() == 27
    )  # in the audit trail
    assert (duties[0].date, duties[0].place, duties[0].responsible.name) == (
        date(2019, 1, 24),
        "火车站",
        "中原区文明办",
    )
    assert (duties[9].date, duties[9].place) == (date(2019, 2, 2), "航空港候机楼")
    assert (duties[10].date, duties[10].place, duties[10].responsible_label) == (
        date(2019, 2, 3),
        "火车东站",
        "青年志愿服务队（团市委）",
    )
    # nothing over the 春节 holiday (2/4 to 2/10), then the 支队s resume at the station where they left off
    assert (duties[11].date, duties[11].place, duties[11].responsible.name) == (
        date(2019, 2, 11),
        "火车站",
        "巾帼志愿服务支队",
    )
    assert (duties[-1].date, duties[-1].place, duties[-1].responsible_label) == (
        date(2019, 2, 26),
        "火车东站",
        "人道援助志愿服务支队(市红十字会)",
    )
    assert duties[0].station.sub_location == "东广场" and duties[1].station.place == "郑州火车东站"


def test_load_seeds_twice_keeps_the_campaign_unchanged(seeded):
    before = list(Duty.objects.order_by("pk").values_list("pk", "date", "responsible_id"))
    load_seeds()
    assert list(Duty.objects.order_by("pk").values_list("pk", "date", "responsible_id")) == before


def test_cloning_to_2020_keeps_the_distance_to_spring_festival_and_skips_its_holiday(seeded):
    officer = UserFactory(is_superuser=True)
    clone = campaign_clone(by=officer, source=seeded, year=2020)
    assert clone.slug == "chunyun-2020" and clone.title.startswith("2020年")
    # 2019: first duty 1/24, 12 days before 春节 (2/5); 2020: 春节 is 1/25, so 1/13
    duties = list(clone.duties.order_by("date"))
    assert (
        duties[0].date
        == date(2020, 1, 13)
        == holidays.spring_festival(2020) - (date(2019, 2, 5) - date(2019, 1, 24))
    )
    assert len(duties) == 27
    rest = spring_festival_days(2020)
    assert rest and not any(d.date in rest for d in duties)
    assert [d.responsible_id for d in duties] == [d.responsible_id for d in seeded.duties.order_by("date")]
    assert clone.stations.count() == 9 and StationLink.objects.filter(station__campaign=clone).count() == 17
    # and the 2019 campaign is untouched
    assert seeded.duties.count() == 27 and seeded.duties.order_by("date").first().date == date(2019, 1, 24)
    with pytest.raises(ValidationError):
        campaign_clone(by=officer, source=seeded, year=2020)


def test_a_2027_campaign_works_before_the_state_council_publishes_2027(db):
    days = spring_festival_days(2027)
    assert date(2027, 2, 6) in days  # 正月初一 2027, from the lunar calendar
    assert Holiday.objects.filter(day__year=2027, source="estimated").exists()


def test_the_generator_alternates_skips_and_honours_exceptions(db):
    a, b, c = (Organization.objects.create(name=n, kind="office") for n in "甲乙丙")
    spec = RotationSpec(
        organizations=[a, b, c],
        places=["站", "东站"],
        start=date(2030, 1, 1),
        end=date(2030, 1, 6),
        excluded={date(2030, 1, 3)},
        exceptions={date(2030, 1, 2): "机场"},
    )
    assert [(t.day.day, t.place, t.organization.name) for t in rotation_plan(spec)] == [
        (1, "站", "甲"),
        (2, "机场", "乙"),
        (4, "东站", "丙"),
        (5, "站", "甲"),
        (6, "东站", "乙"),
    ]
    with pytest.raises(ValidationError):
        rotation_plan(RotationSpec(organizations=[], places=[], start=date(2030, 1, 2), end=date(2030, 1, 1)))


def test_attachments_1_and_5_reproduce_the_documents_rows_and_notes(seeded, tmp_path):
    call_command("export_attachment", "chunyun-2019", "1", output=str(tmp_path / "1.xlsx"))
    sheet = load_workbook(tmp_path / "1.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][0] == "附件1："
        and rows[1][0] == "郑州市2019年春运期间“文明使者”志愿服务站点联动单位情况一览表"
    )
    assert rows[2] == ("站点设置", "数量分布", "联动志愿服务团队", "所属文明办")
    assert rows[3] == (
        "郑州火车站",
        "东广场2个",
        "巾帼志愿服务支队（市妇联）、消防志愿服务支队（市消防支队）",
        "火车站地区",
    )
    assert rows[4][:3] == (None, "西广场1个", "职工志愿服务支队（市总工会）")
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A4:A5", "D4:D5"}
    assert len(rows) == 12 and rows[-1][0] == "郑州长途汽车北站"
    five = load_workbook(io.BytesIO(export_attachment(seeded, 5))).active
    rows5 = list(five.iter_rows(values_only=True))
    dated = [r for r in rows5 if r[0] and str(r[0]).endswith("日")]
    assert len(dated) == 27 and dated[9][:2] == ("2月2日", "航空港候机楼")
    assert rows5[-1][0] == "备 注" and "请提前报备" in rows5[-1][1]
    with pytest.raises(NotAvailable):
        export_attachment(seeded, 6)
