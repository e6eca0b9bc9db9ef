"""The user account, the timestamped base every model extends, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.search import search_text


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A login. People named in a document but never logging in have an unusable password."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True)
    search = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "search"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"], condition=~models.Q(mobile=""), name="user_mobile_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # a username that is a mobile number stays out of the search text: digits match the mobile itself,
        # and only from four digits on (people.selectors.volunteers)
        self.search = search_text(self.full_name, "" if self.username[:1].isdigit() else self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search"}
        super().save(*args, **kwargs)


class ApiToken(TimeStampedModel):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.prefix}…"

    @staticmethod
    def hash(token: str) -> str:
        # A token has 256 bits of entropy, so a fast hash is enough (no password stretching needed).
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str = "") -> tuple[ApiToken, str]:
        token = "zy_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, prefix=token[3:11], digest=cls.hash(token)), token

    @classmethod
    def authenticate(cls, token: str) -> User | None:
        found = (
            cls.objects.select_related("user")
            .filter(digest=cls.hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        cls.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found.user


class Sequence(TimeStampedModel):
    """A named counter for public numbers (志愿者编号, 证明编号): gap-free per name, safe under concurrency,
    and able to hand out a block at once for a bulk import."""

    name = models.CharField(max_length=50, unique=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Holiday(TimeStampedModel):
    """One day of the official calendar: a 法定节假日 rest day, or a 调休 working day on a weekend.

    Filled from chinese-calendar where it has data (2004-2026), estimated for 春节 from the lunar calendar
    beyond that, and corrected by an officer when the State Council publishes the next year's schedule."""

    class Source(models.TextChoices):
        OFFICIAL = "official", _("国务院公布（chinese-calendar）")
        ESTIMATED = "estimated", _("按农历推算")
        MANUAL = "manual", _("人工维护")

    day = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_rest_day = models.BooleanField(_("休息日"), default=True, help_text=_("否表示调休上班"))
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.MANUAL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class TaskLease(models.Model):
    """Which worker runs a background task right now, and when it last said so (core.leases).

    django-tasks-db leaves a task "running" for ever when its worker dies; the scheduler's sweep reads these
    leases to find such tasks, fails them with a reason and lets the task's owner resume or give up.
    """

    task_id = models.UUIDField(unique=True)
    task_path = models.CharField(max_length=200)
    args_key = models.CharField(max_length=200, db_index=True)  # the task's arguments, to count lost tries
    worker_id = models.CharField(max_length=64)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    lost_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("任务租约")
        verbose_name_plural = _("任务租约")

    def __str__(self) -> str:
        return f"{self.task_path} @ {self.hostname}:{self.pid}"
