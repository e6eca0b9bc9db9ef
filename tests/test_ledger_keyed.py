"""The keyed chain: someone who can write to the database but lacks ZHIYUAN_LEDGER_KEY cannot re-hash an
altered entry; keys rotate without breaking old entries; the migration re-keys intact chains both ways."""

import hashlib
import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.people_helpers import bulk_volunteers
from zhiyuan.hours.migrations import __name__ as migrations_package
from zhiyuan.hours.models import LedgerEntry
from zhiyuan.hours.services.ledger import ledger_append, verify_all
from zhiyuan.hours.services.ledger_hash import entry_payload, legacy_hash

keyed_migration = __import__(f"{migrations_package}.0008_keyed_ledger", fromlist=["keyed", "unkeyed"])


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def chain(world, settings):
    settings.ZHIYUAN_LEDGER_KEY, settings.ZHIYUAN_LEDGER_OLD_KEYS = "key-2026", []
    volunteer = bulk_volunteers(world.east, 1, prefix="密钥")[0]
    for days_ago in (3, 2, 1):
        ledger_append(
            volunteer=volunteer,
            organization=world.east_team,
            activity="东广场志愿服务",
            starts_at=_at(days_ago, 8) + timedelta(microseconds=123456),
            ends_at=_at(days_ago, 10),
            source="bulk",
            by=world.east_officer,
        )
    return volunteer


def test_an_entry_re_hashed_without_the_key_is_caught(chain):
    entry = LedgerEntry.objects.get(volunteer=chain, seq=2)
    assert entry.starts_at.microsecond == 0  # stored to the second, as hashed
    # the forger changes the hours and recomputes an unkeyed SHA-256 over the same canonical text
    LedgerEntry.objects.filter(pk=entry.pk).update(hours=Decimal("9.00"))
    entry.refresh_from_db()
    forged = hashlib.sha256(entry_payload(entry).encode()).hexdigest()
    LedgerEntry.objects.filter(pk=entry.pk).update(hash=forged)
    LedgerEntry.objects.filter(volunteer=chain, seq=3).update(prev_hash=forged)
    (problem,) = verify_all()
    assert (problem.seq, problem.problem) == (2, "entry altered: hash does not match its contents")


def test_keys_rotate_old_entries_verify_and_rekey_moves_every_chain(chain, settings):
    settings.ZHIYUAN_LEDGER_KEY, settings.ZHIYUAN_LEDGER_OLD_KEYS = "key-2027", ["key-2026"]
    assert verify_all() == []
    call_command("rekey_ledger")
    assert len(set(LedgerEntry.objects.values_list("key_id", flat=True))) == 1
    settings.ZHIYUAN_LEDGER_OLD_KEYS = []  # the old key retired: the chains stand on the new one alone
    assert verify_all() == []
    settings.ZHIYUAN_LEDGER_KEY = "someone-elses-key"
    assert "unknown key" in verify_all()[0].problem
    with pytest.raises(CommandError):
        call_command("rekey_ledger")  # a chain that does not verify is never re-hashed


def test_the_chain_survives_a_json_round_trip(chain):
    rows = json.loads(serializers.serialize("json", LedgerEntry.objects.all()))
    for obj in serializers.deserialize("json", json.dumps(rows)):
        restored = obj.object
        stored = LedgerEntry.objects.get(pk=restored.pk)
        assert entry_payload(restored) == entry_payload(stored)


def test_the_migration_rekeys_intact_chains_and_back_and_leaves_a_broken_one_broken(chain, world):
    keyed_migration.unkeyed(apps, None)  # back to the unkeyed SHA-256 chain of before
    assert all(e.hash == legacy_hash(e) and e.key_id == "" for e in LedgerEntry.objects.all())
    assert "unkeyed" in verify_all()[0].problem
    keyed_migration.keyed(apps, None)
    assert verify_all() == []
    # a legacy chain someone had already tampered with is left broken, as evidence
    keyed_migration.unkeyed(apps, None)
    LedgerEntry.objects.filter(volunteer=chain, seq=1).update(hours=Decimal("7.00"))
    keyed_migration.keyed(apps, None)
    assert LedgerEntry.objects.filter(volunteer=chain, key_id="").count() == 3 and len(verify_all()) == 1
