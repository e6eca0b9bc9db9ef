"""The built-in periodic jobs (see notifications.periodic). Each scans a window and notifies under a key,
so a job that runs late, twice, or after a missed slot sends each reminder once."""

from datetime import time, timedelta

from zhiyuan.notifications import deliveries
from zhiyuan.notifications.jobs import digest, housekeeping, reports, shifts, staffing
from zhiyuan.notifications.periodic import register

register("shift_reminders", shifts.shift_reminders, every=timedelta(minutes=5))
register("shift_understaffed", staffing.shift_understaffed, every=timedelta(minutes=15))
register("training_required", staffing.training_required, every=timedelta(hours=1))
register("report_reminders", reports.report_reminders, every=timedelta(minutes=5))
register("report_escalation", reports.report_escalation, every=timedelta(minutes=15))
register("deliveries_sweep", deliveries.sweep, every=timedelta(minutes=10))
# People who chose a daily digest get their held e-mails and texts as one message, at the end of the day
register("handoff_digest", digest.digest_send, at=time(18, 0))
register("housekeeping", housekeeping.housekeeping, at=time(3, 30))  # Beijing, a quiet hour
# The hours ledger's rollups re-derived from the ledger every night; a difference alarms the admins.
register("nightly_rollup_check", "zhiyuan.hours.tasks.nightly_rollup_check", at=time(2, 0))
# Reserved free tickets not collected in time go back to stock (pages also release them lazily on read).
register("ticket_claims_expire", "zhiyuan.outreach.tasks.ticket_claims_expire", every=timedelta(minutes=10))
# Uploaded roster files (ID numbers in clear) of finished imports, should one have been left behind.
register("roster_files_purge", "zhiyuan.people.services.roster_import.roster_files_purge", at=time(3, 45))
