"""Community outreach for migrant workers (seed 000 “温暖回乡路，共铸留守情”): help requests, needs surveys on
construction sites, children pairing and school donations, 邻里守望 events, and news."""

from zhiyuan.community.models.children import Child, Pairing, PairingContact, SchoolDonation
from zhiyuan.community.models.events import CommunityEvent, EventSignup
from zhiyuan.community.models.help import HelpKind, HelpRequest, HelpRequestNote, HelpRoute
from zhiyuan.community.models.needs import NeedRecord, SiteVisit
from zhiyuan.community.models.news import News, NewsPhoto

__all__ = [
    "Child",
    "CommunityEvent",
    "EventSignup",
    "HelpKind",
    "HelpRequest",
    "HelpRequestNote",
    "HelpRoute",
    "NeedRecord",
    "News",
    "NewsPhoto",
    "Pairing",
    "PairingContact",
    "SchoolDonation",
    "SiteVisit",
]
