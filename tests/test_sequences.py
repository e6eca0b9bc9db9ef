import threading

import pytest
from django.db import connection

from zhiyuan.core.sequences import allocate


def test_blocks_follow_each_other(db):
    assert allocate("t", 1) == 1
    assert allocate("t", 10) == 2
    assert allocate("t", 1) == 12
    assert allocate("other") == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocators_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks are PostgreSQL's; SQLite serialises writers (tests/test_sqlite_concurrency.py)"
        )
    got: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                got.append(allocate("race", 3))
        except BaseException as exc:  # reported below, so a failure in a thread fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(got) == list(range(1, 3 * 80, 3))
