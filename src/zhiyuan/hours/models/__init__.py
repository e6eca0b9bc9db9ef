from zhiyuan.hours.models.approval import Backfill, HoursApproval
from zhiyuan.hours.models.checkin import CheckIn, SelfReport
from zhiyuan.hours.models.ledger import AppendOnly, Correction, LedgerEntry, WeeklyRollup
from zhiyuan.hours.models.poster import Poster
from zhiyuan.hours.models.recognition import Award, Certificate, Evaluation, StarThreshold, WeeklyQuota

__all__ = [
    "AppendOnly",
    "Award",
    "Backfill",
    "Certificate",
    "CheckIn",
    "Correction",
    "Evaluation",
    "HoursApproval",
    "LedgerEntry",
    "Poster",
    "SelfReport",
    "StarThreshold",
    "WeeklyQuota",
    "WeeklyRollup",
]
