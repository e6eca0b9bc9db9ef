from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhiyuan.hours.models import LedgerEntry
from zhiyuan.hours.services.ledger import verify_all
from zhiyuan.hours.services.ledger_hash import current_key, entry_hash, entry_hash_matches, rehash_chain
from zhiyuan.people.models import Volunteer


class Command(BaseCommand):
    help = (
        "Re-hash every volunteer's ledger chain under the current ZHIYUAN_LEDGER_KEY, after verifying it "
        "under the keys it names (the current one and ZHIYUAN_LEDGER_OLD_KEYS). Refuses when a chain is "
        "broken: a broken chain is evidence and is never re-hashed into an intact one."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = verify_all()
        if breaks:
            for b in breaks:
                self.stdout.write(f"BROKEN volunteer {b.volunteer_id} at entry #{b.seq}: {b.problem}")
            raise CommandError(f"{len(breaks)} broken chain(s): nothing re-keyed")
        key_id, key = current_key()
        changed = 0
        volunteer_ids = LedgerEntry.objects.order_by().values_list("volunteer_id", flat=True).distinct()
        for volunteer_id in list(volunteer_ids):
            with transaction.atomic():
                Volunteer.objects.select_for_update().filter(pk=volunteer_id).first()  # the chain's lock
                chain = list(LedgerEntry.objects.filter(volunteer_id=volunteer_id).order_by("seq"))
                if all(e.key_id == key_id for e in chain):
                    continue
                links = rehash_chain(
                    chain,
                    check=lambda e: not entry_hash_matches(e),
                    make=lambda e: entry_hash(e, key),
                    key_id=key_id,
                )
                if not links:
                    raise CommandError(f"volunteer {volunteer_id}: chain changed while re-keying")
                for pk, prev_hash, new_hash in links:
                    LedgerEntry.objects.filter(pk=pk).update(
                        prev_hash=prev_hash, hash=new_hash, key_id=key_id
                    )
                changed += 1
        self.stdout.write(f"re-keyed {changed} chain(s) under key {key_id}")
