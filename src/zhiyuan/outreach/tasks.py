"""Background work of the outreach app, run by the django-tasks database worker."""

from __future__ import annotations

from django_tasks import task


@task()
def ticket_claims_expire() -> int:
    """Reserved claims past their time return their tickets to stock; returns how many tickets."""
    from zhiyuan.outreach.services.tickets import claims_expire

    return claims_expire()
