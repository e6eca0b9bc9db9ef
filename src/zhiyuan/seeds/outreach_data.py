"""Seed 000's public-facing resources (§三(一)3 and §三(二)1), loaded by `load_seeds`.

The notice names the venues and the units that run channels but prints no address, phone number or
account: those rows are loaded unpublished, and the responsible unit fills them in and publishes them
(the notice: 媒体公示所有免费开放、赠票单位的地址、电话). Nothing here is invented. Which 主管单位 runs each
venue is read from the notice's list of responsible units (市文物局, 市科协, 市文广新局, 市园林局, 市林业局).
"""

from __future__ import annotations

from typing import Any

from zhiyuan.campaigns.models import Campaign
from zhiyuan.organizations.models import Organization
from zhiyuan.outreach.models import Channel, Venue

CAMPAIGN = "chunyun-2019"
TO_FILL = "待负责单位填写后公开。"

# (name, kind, run by, guided tours and group reservations) — §三(二)1 “文化暖冬”
VENUES = [
    ("郑州市博物馆", "museum", "市文物局", True),
    ("郑州市科技馆", "science", "市科协", True),
    ("郑州市美术馆", "art", "市文广新局", True),
    ("郑州市图书馆", "library", "市文广新局", True),
    ("郑州市动物园", "zoo", "市园林局", False),
    ("郑州市植物园", "garden", "市园林局", False),
    ("郑州绿博园", "park", "市林业局", False),
    ("郑州文庙", "heritage", "市文物局", False),
]
GROUP_RULES = "为有组织的外来务工人员群体提供集体预约、义务讲解等服务。"
TICKET_RULES = "向外来务工人员免费赠票，邀请外来务工人员参加各项游园活动。"

# (kind, name, run by, description) — §三(一)3
CHANNELS = [
    (
        "safe_call",
        "“免费报平安”电话（中国联通）",
        "中国联合网络通信有限公司郑州分公司",
        "通信部门开通“免费报平安”电话。",
    ),
    (
        "safe_call",
        "“免费报平安”电话（中国移动）",
        "中国移动通信集团河南有限公司郑州分公司",
        "通信部门开通“免费报平安”电话。",
    ),
    (
        "safe_call",
        "“免费报平安”电话（中国电信）",
        "中国电信集团公司河南省郑州市电信分公司",
        "通信部门开通“免费报平安”电话。",
    ),
    ("parcel", "“爱心包裹”绿色寄递服务", "市邮政局", "在车站、企业、工业园区等提供上门服务。"),
    (
        "bank",
        "金融志愿服务队",
        "郑州银行",
        "为外来务工人员集中的企业提供上门服务，帮助解决资金流转和安全问题，并提供零币兑换、业务咨询等服务。",
    ),
    ("other", "中国文明网郑州站", "中国文明网郑州站", "发布出行信息、温馨提示。"),
    ("other", "“志愿郑州”网站", "“志愿郑州”网站", "发布出行信息、温馨提示。"),
    ("other", "中原网", "中原网", "发布出行信息、温馨提示。"),
]


def load_outreach(tally: Any) -> None:
    from zhiyuan.seeds.loader import _save_if_changed

    campaign = Campaign.objects.get(slug=CAMPAIGN)
    city = Organization.objects.get(name="郑州市文明办", parent=None)

    def unit(name: str) -> Organization:
        return Organization.objects.get(name=name, parent=city)

    for order, (name, kind, owner, groups) in enumerate(VENUES):
        venue = Venue.objects.filter(name=name, campaign=campaign).first() or Venue(
            name=name, campaign=campaign
        )
        values = {
            "organization": unit(owner),
            "kind": kind,
            "free_rules": GROUP_RULES if groups else TICKET_RULES,
            "guided_tours": groups,
            "accepts_groups": groups,
            "order": order,
        }
        if venue.pk is None:  # published by its unit once the address and phone are in; never reset
            values["published"] = False
        _save_if_changed(venue, values, tally)
    for order, (kind, name, owner, description) in enumerate(CHANNELS):
        channel = Channel.objects.filter(name=name, campaign=campaign).first() or Channel(
            name=name, campaign=campaign
        )
        values = {"organization": unit(owner), "kind": kind, "description": description, "order": order}
        if channel.pk is None:
            values["published"] = False
        _save_if_changed(channel, values, tally)
