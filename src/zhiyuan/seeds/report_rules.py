"""The seeds' reporting duties as `ReportRule`s, loaded idempotently by `zhiyuan load_seeds`.

Seed 000 §五(二): the plan with attachments 2, 3 and 5 by 1月23日12时; 动态信息 any time; attachment 4
within 24 hours after each activity, with photos; the summary (图文并茂) by 3月1日12时.
Seed 001 §五(三): rosters before 8月2日; a 简报 every (working) day by 15:30; each Friday by 15:00 this
week's summary and next week's plan, with text, photos and video.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from zhiyuan.campaigns.models import Campaign
from zhiyuan.organizations.models import Organization
from zhiyuan.reporting.models import DeadlineKind, Form, RelativeTo, ReportRule
from zhiyuan.seeds import orgs_five_hours_2019 as orgs001
from zhiyuan.seeds.loader import Tally, _save_if_changed

BJ = ZoneInfo("Asia/Shanghai")
# 各地各部门各单位: the city office's direct children of these kinds
CHUNYUN_UNITS: dict[str, Any] = {
    "applies_to_kinds": ["office", "agency", "unit", "brigade"],
    "applies_to_depth": 1,
}
FIVE_HOURS_UNITS: dict[str, Any] = {"applies_to_kinds": ["unit", "workstation"], "applies_to_depth": 1}
# 附件3 根据分工: the agencies over the zoo, the botanical gardens, 绿博园 and 文庙 that give free tickets
TICKET_UNITS = ["市园林局", "市文物局", "市文广新局"]

CHUNYUN = [
    {
        "title": "春运活动方案（附件5）",
        "form": Form.PLAN,
        "description": "活动方案，并根据分工一并报附件5（集中志愿服务安排）。电子版发送至 zzszyfwc@126.com，纸质版（盖章）送至伊河大厦1301室。",
        "deadline_kind": DeadlineKind.ABSOLUTE,
        "due_at": datetime(2019, 1, 23, 12, 0, tzinfo=BJ),
        **CHUNYUN_UNITS,
    },
    {
        "title": "各单位信息一览表（附件2）",
        "form": Form.CONTACTS,
        "description": "主管领导、具体负责人、联络员、信息上报人员的姓名、职务、办公电话、手机。",
        "deadline_kind": DeadlineKind.ABSOLUTE,
        "due_at": datetime(2019, 1, 23, 12, 0, tzinfo=BJ),
        **CHUNYUN_UNITS,
    },
    {
        "title": "免费向外来务工人员赠票活动情况统计表（附件3）",
        "form": Form.TICKETS,
        "description": "赠票单位、主管单位、赠票数量、领取要求、领取时间、领取地点、联系人及联系方式。",
        "deadline_kind": DeadlineKind.ABSOLUTE,
        "due_at": datetime(2019, 1, 23, 12, 0, tzinfo=BJ),
        "explicit": TICKET_UNITS,
    },
    {
        "title": "动态信息",
        "form": Form.DYNAMIC_INFO,
        "description": "动态信息随时上报，图文并茂；中国文明网郑州站、志愿郑州网站择优选用，同步发布。",
        "deadline_kind": DeadlineKind.ANY_TIME,
        **CHUNYUN_UNITS,
    },
    {
        "title": "志愿服务活动信息上报表（附件4）",
        "form": Form.ACTIVITY_REPORT,
        "description": "活动结束后24小时内，将活动信息、相关图片和上报表一并报送。",
        "deadline_kind": DeadlineKind.RELATIVE,
        "relative_to": RelativeTo.DUTY_END,
        "relative_hours": 24,
        "photos_required": True,
    },
    {
        "title": "春运活动总结",
        "form": Form.SUMMARY,
        "description": "对活动进行全面总结，提交图文并茂的活动综述。",
        "deadline_kind": DeadlineKind.ABSOLUTE,
        "due_at": datetime(2019, 3, 1, 12, 0, tzinfo=BJ),
        "photos_required": True,
        **CHUNYUN_UNITS,
    },
]

FIVE_HOURS = [
    {
        "title": "志愿服务队人员名单",
        "form": Form.ROSTER,
        "description": "8月2日前将组建的志愿服务队人员名单报文宣办。",
        "deadline_kind": DeadlineKind.ABSOLUTE,
        "due_at": datetime(2019, 8, 2, 0, 0, tzinfo=BJ),
        **FIVE_HOURS_UNITS,
    },
    {
        "title": "每日简报",
        "form": Form.DAILY_BRIEF,
        "description": "每天下午3点半前报简报。",
        "deadline_kind": DeadlineKind.DAILY,
        "due_time": time(15, 30),
        **FIVE_HOURS_UNITS,
    },
    {
        "title": "本周总结及下周计划",
        "form": Form.WEEKLY_SUMMARY,
        "description": "每周五下午3点前报本周总结及下周计划，以文字、图片、影像资料反映各项志愿服务活动。",
        "deadline_kind": DeadlineKind.WEEKLY,
        "weekday": 4,
        "due_time": time(15, 0),
        "photos_required": True,
        **FIVE_HOURS_UNITS,
    },
]

_DEFAULTS: dict[str, Any] = {
    "description": "",
    "photos_required": False,
    "include_root": False,
    "applies_to_kinds": [],
    "applies_to_depth": None,
    "due_at": None,
    "relative_to": "",
    "relative_hours": None,
    "due_time": None,
    "weekday": None,
    "include_weekends": False,
    "active_from": None,
    "active_to": None,
}


def _rules(
    tally: Tally,
    campaign: Campaign,
    root: Organization,
    specs: list[dict[str, Any]],
    receiver: Organization,
) -> None:
    for spec in specs:
        spec = dict(spec)
        explicit = spec.pop("explicit", [])
        title = spec.pop("title")
        values = {
            **_DEFAULTS,
            **spec,
            "applies_to": root if spec.get("applies_to_kinds") else None,
            "receiver": receiver,
        }
        rule = ReportRule.objects.filter(campaign=campaign, title=title).first()
        rule = _save_if_changed(rule or ReportRule(campaign=campaign, title=title), values, tally)
        wanted = set(Organization.objects.filter(parent=root, name__in=explicit).values_list("pk", flat=True))
        if set(rule.organizations.values_list("pk", flat=True)) != wanted:
            rule.organizations.set(wanted)


def load_report_rules(tally: Tally) -> None:
    city = Organization.objects.get(parent=None, name="郑州市文明办")
    _rules(tally, Campaign.objects.get(slug="chunyun-2019"), city, CHUNYUN, receiver=city)
    centre = Organization.objects.get(name=orgs001.CENTRE)
    # 报文宣办: the centre's 文宣办 receives the five-hours reports
    office = Organization.objects.get(parent=centre, name="文宣办")
    _rules(tally, Campaign.objects.get(slug="five-hours-2019"), centre, FIVE_HOURS, receiver=office)
