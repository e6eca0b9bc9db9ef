"""Background work of the hours app, run by the django-tasks database worker."""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils.translation import gettext as _
from django_tasks import task

from zhiyuan.core.models import User
from zhiyuan.core.notify import notify
from zhiyuan.hours.services.ledger import rollup_differences
from zhiyuan.organizations.models import Membership
from zhiyuan.organizations.roles import Role

log = logging.getLogger(__name__)
SHOWN = 20  # differences spelled out in the alarm; the rest are counted


def platform_admins() -> list[User]:
    """Superusers and holders of the platform `admin` role: whoever can look into the database."""
    admin_ids = Membership.objects.filter(role=Role.ADMIN).values("user_id")
    return list(
        User.objects.filter(Q(is_superuser=True) | Q(pk__in=admin_ids), is_active=True).order_by("pk")
    )


@task()
def nightly_rollup_check() -> int:
    """Re-derive the weekly rollups from the ledger and raise the alarm on any difference.

    Nothing is repaired here: a rollup that disagrees with the ledger means something wrote behind the
    services' back, and someone must find out what before the numbers are trusted again.
    Returns the number of differences.
    """
    differences = rollup_differences()
    if not differences:
        log.info("weekly rollups match the ledger")
        return 0
    lines = [
        _("志愿者 %(vid)s · %(week)s 起的一周：汇总 %(kept)s 小时，服务记录合计 %(derived)s 小时")
        % {"vid": vid, "week": f"{week:%Y-%m-%d}", "kept": kept, "derived": derived}
        for vid, week, kept, derived in differences[:SHOWN]
    ]
    if len(differences) > SHOWN:
        lines.append(_("……另有 %(n)d 处不一致") % {"n": len(differences) - SHOWN})
    # ids and numbers only: the alarm goes to the log as well, where personal data never goes
    log.error("weekly rollups differ from the ledger in %d place(s):\n%s", len(differences), "\n".join(lines))
    notify(
        users=platform_admins(),
        subject=_("每周时长汇总与服务记录不一致"),
        body=_(
            "夜间核对发现 %(n)d 处不一致（未自动修正，请核查后处理；可用 zhiyuan verify_ledger --rollups 复查）："
        )
        % {"n": len(differences)}
        + "\n"
        + "\n".join(lines),
    )
    return len(differences)
