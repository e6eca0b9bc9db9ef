"""Allocating numbers from a named `Sequence`."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhiyuan.core.models import Sequence


def allocate(name: str, count: int = 1) -> int:
    """Reserve `count` consecutive numbers and return the first. The row lock serialises allocators, so
    two registrations never get the same number; a block for an import costs one UPDATE."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                seq = Sequence.objects.select_for_update().filter(name=name).first()
                if seq is None:
                    seq = Sequence.objects.create(name=name)
                first = seq.value + 1
                seq.value += count
                seq.save(update_fields=["value", "updated_at"])
                return first
        except IntegrityError:  # two first-ever allocations raced to create the row: the loser retries
            continue
    raise RuntimeError(f"could not allocate from sequence {name}")
