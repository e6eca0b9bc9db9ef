"""How a period key reads on a page: the keys are stable identifiers ("once", "2019-W04", "duty-17",
"2019-01-23", "2019-01-23-2"), not words for a liaison."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext as _

from zhiyuan.reporting.services.deadlines import ONCE

register = template.Library()

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-(\d+))?$")
DUTY = re.compile(r"^duty-(\d+)$")


@register.filter
def period_label(key: str) -> str:
    if key == ONCE:
        return _("一次性")
    if m := WEEK.match(key):
        return _("%(y)s年第%(w)s周") % {"y": m[1], "w": int(m[2])}
    if m := DAY.match(key):
        day = _("%(y)s年%(m)s月%(d)s日") % {"y": m[1], "m": int(m[2]), "d": int(m[3])}
        return _("%(day)s 第%(n)s条") % {"day": day, "n": m[4]} if m[4] else day
    if m := DUTY.match(key):
        return _("集中服务 #%(n)s") % {"n": m[1]}
    return key
