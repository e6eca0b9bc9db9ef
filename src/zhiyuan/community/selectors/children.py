"""Reads for children, pairings and donations.

A child's personal data (name, school, guardian, phone) reaches only the responsible officer — the child's,
or a pairing's — and the platform admin. Other officers of the organisation see a masked row (“王**”, birth
year) so they know the work exists, and nothing they could identify the child by; the detail is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from zhiyuan.community.models import Child, Pairing, PairingContact, SchoolDonation
from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm


def _revealed(user: Any) -> Q:
    """Children whose data `user` may see in full."""
    if access.is_global(user):
        return Q()
    mine = Pairing.objects.filter(child=OuterRef("pk"), responsible_id=user.pk)
    return (
        Q(responsible_id=user.pk)
        | Q(Exists(mine))
        | access.scope(user, Perm.CHILD_REVEAL, via="organization")
    )


def child_list(*, user: Any) -> QuerySet[Child]:
    """Every child registered in the user's scope, each marked `revealed`; mask the others when shown."""
    in_scope = access.scope(user, Perm.COMMUNITY_VIEW, via="organization") | _revealed(user)
    return (
        Child.objects.filter(in_scope)
        .annotate(revealed=Exists(Child.objects.filter(_revealed(user), pk=OuterRef("pk"))))
        .annotate(pairing_count=Count("pairings", filter=Q(pairings__ended_on__isnull=True)))
        .order_by("-pk")
    )


def child_get(*, user: Any, pk: object) -> Child:
    """Only for those who may see the child's data; anyone else gets 404."""
    return access.get_or_404(
        Child.objects.filter(_revealed(user)).select_related("organization", "responsible"), pk=pk
    )


def pairings_of(child: Child) -> QuerySet[Pairing]:
    return (
        Pairing.objects.filter(child=child)
        .select_related("volunteer__user", "responsible")
        .annotate(contact_count=Count("contacts"))
    )


def pairing_get(*, user: Any, pk: object) -> Pairing:
    qs = Pairing.objects.filter(child__in=Child.objects.filter(_revealed(user))).select_related(
        "child", "child__organization", "volunteer__user", "responsible"
    )
    return access.get_or_404(qs, pk=pk)


def contacts_of(pairing: Pairing) -> QuerySet[PairingContact]:
    return PairingContact.objects.filter(pairing=pairing).select_related("recorded_by")


def donation_list(*, user: Any, school: str = "") -> QuerySet[SchoolDonation]:
    qs = SchoolDonation.objects.filter(access.scope(user, Perm.COMMUNITY_VIEW, via="organization"))
    if school:
        qs = qs.filter(school=school)
    return qs.select_related("organization")


def donation_totals(*, user: Any) -> list[dict[str, Any]]:
    """Per school and item: how many donations and the total quantity, in one query."""
    return [
        dict(row)
        for row in donation_list(user=user)
        .order_by()
        .values("school", "items", "unit")
        .annotate(donations=Count("pk"), quantity=Sum("quantity"))
        .order_by("school", "items")
    ]


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1)
