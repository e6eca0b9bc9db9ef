"""Background work of the notifications app, run by the django-tasks database worker (`make run`)."""

from __future__ import annotations

from django_tasks import task

from zhiyuan.notifications import deliveries, periodic


@task()
def delivery_send(delivery_id: int) -> str:
    return deliveries.attempt(delivery_id)


@task()
def periodic_run(run_id: int) -> str:
    return periodic.run(run_id)


@task()
def public_sms_send(mobile: str, text: str) -> str:
    """A text to a member of the public (no account, so no inbox): the task result is its record."""
    from zhiyuan.core import sms

    sms.send(mobile=mobile, text=text)
    return "sent"
