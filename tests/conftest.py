from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from zhiyuan.core.models import ApiToken
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Role


@pytest.fixture(autouse=True)
def _fast_and_unlocked(settings: Any) -> None:
    settings.AXES_ENABLED = False
    # Argon2 is the production hasher; tests hash hundreds of passwords and need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # rate-limit counters live in the cache: each test starts with none used up
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    """Two 文明办 subtrees side by side, each with an officer: the shape every IDOR test needs."""

    city: Organization
    east: Organization  # 郑东新区文明办
    east_team: Organization
    west: Organization  # 中原区文明办
    west_team: Organization
    east_officer: Any
    west_officer: Any
    admin: Any


@pytest.fixture
def world(db: Any) -> World:
    city = OrganizationFactory(name="郑州市文明办", kind=Kind.OFFICE)
    east = OrganizationFactory(name="郑东新区文明办", kind=Kind.OFFICE, parent=city)
    west = OrganizationFactory(name="中原区文明办", kind=Kind.OFFICE, parent=city)
    east_team = OrganizationFactory(name="青年志愿服务队（东）", kind=Kind.TEAM, parent=east)
    west_team = OrganizationFactory(name="巾帼志愿服务队（西）", kind=Kind.TEAM, parent=west)
    east_officer = MembershipFactory(organization=east, role=Role.OFFICER).user
    west_officer = MembershipFactory(organization=west, role=Role.OFFICER).user
    admin = UserFactory(is_superuser=True, is_staff=True, username="root")
    return World(city, east, east_team, west, west_team, east_officer, west_officer, admin)


class Api:
    """A test client that speaks JSON to /api/v1/ with a bearer token."""

    def __init__(self, user: Any) -> None:
        self.client = Client()
        _, self.token = ApiToken.issue(user=user)

    def _call(self, method: str, path: str, data: Any = None) -> Any:
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path: str) -> Any:
        return self._call("get", path)

    def post(self, path: str, data: Any) -> Any:
        return self._call("post", path, data)

    def patch(self, path: str, data: Any) -> Any:
        return self._call("patch", path, data)

    def delete(self, path: str) -> Any:
        return self._call("delete", path)


@pytest.fixture
def api_as():
    return Api


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: Any) -> Any:
    """A SQLite file migrated once per run, for tests that run the real processes (`zhiyuan db_worker`,
    `make serve`) against a database of their own; copy it before writing."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{path}")
    subprocess.run(
        [sys.executable, "-m", "zhiyuan.manage", "migrate", "--noinput", "-v", "0"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        check=True,
        timeout=600,
    )
    return path
