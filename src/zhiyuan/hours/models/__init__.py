from zhiyuan.hours.models.ledger import AppendOnly, Correction, LedgerEntry, WeeklyRollup

__all__ = ["AppendOnly", "Correction", "LedgerEntry", "WeeklyRollup"]
