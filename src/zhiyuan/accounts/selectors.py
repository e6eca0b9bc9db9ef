"""Reads: the invitations an officer may see (those of the units where they manage members)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhiyuan.accounts.models import Invitation
from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm


def invitation_list(*, user: Any, pending: bool = True) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(access.scope(user, Perm.MEMBER_CHANGE, via="organization"))
    if pending:
        qs = qs.filter(accepted_at__isnull=True)
    return qs.select_related("user", "organization", "invited_by").order_by("-created_at", "-pk")


def invitation_get(*, user: Any, pk: object) -> Invitation:
    return access.get_or_404(invitation_list(user=user, pending=False), pk=pk)
