"""The one permission choke point: which organisations a user may act on, for a permission.

A role held at an organisation applies to that organisation and its whole subtree. Superusers and holders
of the platform `admin` role at a root act everywhere. Every selector and API endpoint scopes through here;
nothing else filters by the user's organisations.

Grants are read once per request: they are cached on the user object, which lives as long as the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, Model, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext as _

from zhiyuan.core.permissions import ROLE_PERMS

if TYPE_CHECKING:
    from zhiyuan.organizations.models import Organization

M = TypeVar("M", bound=Model)
_CACHE_ATTR = "_zhiyuan_grants"


class PermissionDenied(Exception):
    """The user can see the object but may not do this to it (HTTP 403)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("您没有执行此操作的权限。"))


# A pseudo-grant read in the same query as the memberships: the user has a volunteer profile. It grants no
# permission (no role of that name); the workspace menu needs it on every page, so it costs no extra query.
VOLUNTEER_PROFILE = "~volunteer-profile"


def _grants(user: Any) -> list[tuple[str, str]]:
    """(organisation path, role) for each of the user's memberships, and ("", VOLUNTEER_PROFILE) when the
    user has a volunteer profile."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from zhiyuan.organizations.models import Membership
        from zhiyuan.people.models import Volunteer

        memberships = (
            Membership.objects.filter(user_id=user.pk).order_by().values_list("organization__path", "role")
        )
        text = CharField()
        profile = (
            Volunteer.objects.filter(user_id=user.pk)
            .order_by()
            .annotate(
                grant_path=Value("", output_field=text),
                grant_role=Value(VOLUNTEER_PROFILE, output_field=text),
            )
            .values_list("grant_path", "grant_role")
        )
        cached = list(memberships.union(profile, all=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_volunteer_profile(user: Any) -> bool:
    """Whether the user has a volunteer profile; read from the cached grants."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return any(role == VOLUNTEER_PROFILE for _path, role in _grants(user))


def roles_held(user: Any) -> set[str]:
    """Every role the user holds somewhere; read from the cached grants."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    return {role for _path, role in _grants(user) if role != VOLUNTEER_PROFILE}


def forget(user: Any) -> None:
    """Drop the cached grants, after the user's own memberships changed within a request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_global(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def roots(user: Any, perm: str) -> list[str]:
    """The paths of the subtrees where `user` holds `perm`, without nested duplicates."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    paths = sorted({path for path, role in _grants(user) if perm in ROLE_PERMS.get(role, ())})
    kept: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def scope(user: Any, perm: str, via: str = "") -> Q:
    """A Q that keeps rows whose organisation (reached through `via`, e.g. "organization") is in scope."""
    if is_global(user):
        return Q()
    field = f"{via}__path__startswith" if via else "path__startswith"
    found = roots(user, perm)
    if not found:
        return Q(pk__in=[])
    q = Q()
    for path in found:
        q |= Q(**{field: path})
    return q


def organizations(user: Any, perm: str) -> QuerySet[Organization]:
    """The organisations `user` may act on for `perm`."""
    from zhiyuan.organizations.models import Organization

    return Organization.objects.filter(scope(user, perm))


def can(user: Any, perm: str, organization: Organization) -> bool:
    if is_global(user):
        return True
    return any(organization.path.startswith(path) for path in roots(user, perm))


def perms_at(user: Any, organization: Organization) -> frozenset[str]:
    """Every permission the user holds at `organization`, from roles there or above it."""
    if is_global(user):
        return frozenset().union(*ROLE_PERMS.values())
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    held = [
        ROLE_PERMS.get(role, frozenset())
        for path, role in _grants(user)
        if organization.path.startswith(path)
    ]
    return frozenset().union(*held)


def can_any(user: Any, perms: Iterable[str], organization: Organization) -> bool:
    return any(can(user, perm, organization) for perm in perms)


def holds_any(user: Any, perms: Iterable[str]) -> bool:
    """Whether the user holds any of `perms` anywhere; read from the cached grants, no query."""
    return is_global(user) or any(roots(user, perm) for perm in perms)


def organizations_any(user: Any, perms: Iterable[str]) -> QuerySet[Organization]:
    """The organisations where the user holds at least one of `perms`."""
    from zhiyuan.organizations.models import Organization

    q = Q(pk__in=[])
    for perm in perms:
        q |= scope(user, perm)
    return Organization.objects.filter(q).order_by("path")


def path_ids(paths: Iterable[str]) -> set[int]:
    """Every organisation id on the given paths: the organisations themselves and all above them."""
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def require(user: Any, perm: str, organization: Organization) -> None:
    if not can(user, perm, organization):
        raise PermissionDenied()


def get_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    """The object from an already scoped queryset; anything outside the scope is simply not found."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到。")) from None
