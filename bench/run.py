"""`make bench`: each case prints `case  value  baseline  ratio`, measured in the same run.

Ratios, not seconds: a slow machine slows case and baseline alike. The database is a throw-away SQLite
file under a temporary var/ directory, so the bench never touches the demo.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ["ZHIYUAN_VAR_DIR"] = tempfile.mkdtemp(prefix="zhiyuan-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiyuan.config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/ and tests/ helpers

from bench import roster, rotation, shifts  # noqa: E402
from zhiyuan.core.models import ApiToken, User  # noqa: E402
from zhiyuan.organizations import selectors  # noqa: E402
from zhiyuan.organizations.models import Membership, Organization  # noqa: E402


def best_of(fn: Callable[[], object], repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build(n: int) -> tuple[User, Organization]:
    root = Organization.objects.create(name="基准市文明办", kind="office")
    districts = [
        Organization.objects.create(name=f"基准区{i}", kind="office", parent=root) for i in range(10)
    ]
    for i in range(n):
        Organization.objects.create(name=f"基准队{i}", kind="team", parent=districts[i % 10])
    officer = User.objects.create(username="bench-officer")
    Membership.objects.create(user=officer, organization=districts[0], role="officer")
    return officer, districts[0]


def main() -> int:
    call_command("migrate", verbosity=0)
    officer, _ = build(5000)
    admin = User.objects.create(username="bench-admin", is_superuser=True)
    rows = []

    # Access scoping costs little over the same list for a superuser, whose scope is everything.
    def scoped() -> None:
        list(selectors.organization_list(user=User.objects.get(pk=officer.pk))[:100])

    def unscoped() -> None:
        list(selectors.organization_list(user=User.objects.get(pk=admin.pk))[:100])

    rows.append(("org_list_scoped_vs_global", best_of(scoped), best_of(unscoped)))

    # The API's list page at 5,000 organisations against a 10-organisation subtree page.
    client = Client()
    _, token = ApiToken.issue(user=admin)
    _, small_token = ApiToken.issue(user=officer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    small = {"HTTP_AUTHORIZATION": f"Bearer {small_token}"}
    rows.append(
        (
            "api_org_list_5000_vs_500",
            best_of(lambda: client.get("/api/v1/organizations?limit=50", **auth)),
            best_of(lambda: client.get("/api/v1/organizations?limit=50", **small)),
        )
    )
    print(f"{'case':40} {'value':>12} {'baseline':>12} {'ratio':>7}")
    for name, value, baseline in rows:
        print(
            f"{name:40} {value * 1000:10.2f}ms {baseline * 1000:10.2f}ms {value / baseline:7.2f}", flush=True
        )
    rows_wanted = int(os.environ.get("BENCH_ROSTER_ROWS", roster.ROWS))
    for name, value, baseline, unit in [*rotation.cases(), *shifts.cases(), *roster.cases(rows_wanted)]:
        print(
            f"{name:40} {value:10.2f}{unit:>2} {baseline:10.2f}{unit:>2} {value / baseline:7.2f}", flush=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
