"""Demo data for the portal: fictitious free-ticket donations and channels, every one marked （演示）, phones
in the demo's 199 0000 xxxx range. The seed's own venues and channels stay unpublished until filled in."""

from __future__ import annotations

from typing import Any

from zhiyuan.campaigns.models import Campaign
from zhiyuan.organizations.models import Organization
from zhiyuan.outreach.models import Channel, TicketDonation, Venue

# (donor, 主管单位, quantity, 领取要求, 领取时间, 领取地点, venue name from the seed)
DONATIONS = [
    (
        "郑州市动物园（演示）",
        "市园林局",
        200,
        "提供身份证复印件",
        "1月24日至2月26日 9:00-16:30",
        "动物园北门游客服务中心（演示）",
        "郑州市动物园",
    ),
    (
        "郑州市植物园（演示）",
        "市园林局",
        150,
        "提供身份证复印件",
        "1月24日至2月26日 9:00-16:30",
        "植物园南门售票处（演示）",
        "郑州市植物园",
    ),
    (
        "郑州文庙（演示）",
        "市文物局",
        80,
        "单位集体领取需加盖公章的名单",
        "工作日 9:00-17:00",
        "文庙游客中心（演示）",
        "郑州文庙",
    ),
]
CHANNELS = [
    ("hotline", "春运志愿服务热线（演示）", "19900009001", "站点问询、求助转接（演示数据）"),
    ("wechat", "志愿郑州（演示）", "志愿郑州演示号", "发布出行信息与温馨提示（演示数据）"),
    ("weibo", "@志愿郑州（演示）", "志愿郑州演示", "发布出行信息与温馨提示（演示数据）"),
]


def demo_outreach(tally: Any) -> None:
    from zhiyuan.seeds.loader import _save_if_changed

    campaign = Campaign.objects.get(slug="chunyun-2019")
    city = Organization.objects.get(name="郑州市文明办", parent=None)
    for order, (kind, name, value, description) in enumerate(CHANNELS):
        channel = Channel.objects.filter(name=name).first() or Channel(name=name)
        values: dict[str, Any] = {
            "organization": city,
            "campaign": None,  # standing channels, shown whichever campaign is current
            "kind": kind,
            "value": value,
            "description": description,
            "order": 100 + order,
            "published": True,
        }
        _save_if_changed(channel, values, tally)
    for donor, supervisor, quantity, requirements, when, where, venue_name in DONATIONS:
        venue = Venue.objects.filter(name=venue_name, campaign=campaign).first()
        owner = venue.organization if venue else city
        donation = TicketDonation.objects.filter(donor=donor, campaign=campaign).first() or TicketDonation(
            donor=donor, campaign=campaign
        )
        values = {
            "organization": owner,
            "venue": venue,
            "supervisor": supervisor,
            "quantity": quantity,
            "requirements": requirements,
            "claim_time": when,
            "claim_place": where,
            "contact": "张某明 19900009002（演示）",
            "title": f"{donor.removesuffix('（演示）')}门票（演示）",
            "published": True,
        }
        _save_if_changed(donation, values, tally)
