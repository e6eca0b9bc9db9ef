"""Colleagues opening and submitting the same report at the same moment: one row, numbered revisions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.test_reporting_fixtures import absolute, bj, campaign, liaison
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import Submission, SubmissionRevision
from zhiyuan.reporting.services.submissions import submission_open, submission_submit


def _race(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[str]]:
    results: list[Any] = []
    errors: list[str] = []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # collected and asserted on below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_opens_make_one_report_and_racing_submits_one_revision_each(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and racing inserts are checked on PostgreSQL")
    rule = absolute(campaign(world.city), bj(2099, 1, 23, 12), applies_to=world.city, kinds=[Kind.TEAM])
    people = [
        liaison(world.east_team, role) for role in (Role.LIAISON, Role.REPORTER, Role.PERSON_IN_CHARGE)
    ] * 2
    opened, errors = _race(
        len(people),
        lambda i: submission_open(by=people[i], rule=rule, organization=world.east_team, period="once"),
    )
    assert errors == [] and len({s.pk for s in opened}) == 1
    assert Submission.objects.count() == 1
    s = opened[0]
    submitted, errors = _race(3, lambda i: submission_submit(by=people[i], submission=s, text=f"第{i}人"))
    # the first submit wins; the others find it already submitted (under review) and are refused
    assert len(submitted) == 1 and len(errors) == 2 and all("Refused" in e for e in errors)
    assert list(SubmissionRevision.objects.values_list("number", flat=True)) == [1]
