"""Invitations: the note that a person an officer added must still set a password (by SMS code or e-mail
link). The secret itself is never stored here: an SMS code lives hashed in `people.PhoneVerification`,
an e-mail link is Django's password-reset token, which dies once the password is set."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.models import TimeStampedModel


class Invitation(TimeStampedModel):
    class Channel(models.TextChoices):
        SMS = "sms", _("短信验证码")
        EMAIL = "email", _("电子邮件链接")
        NONE = "none", _("无法发送（没有手机号或邮箱）")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被邀请人"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("邀请单位"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("角色"), max_length=30, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("发送方式"), max_length=10, choices=Channel.choices)
    sent_count = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_sent_at = models.DateTimeField(_("最近发送"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("设置密码时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号邀请")
        verbose_name_plural = _("账号邀请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="invitation_once_per_unit"),
        ]
        indexes = [models.Index(fields=["organization", "accepted_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"

    @property
    def role_label(self) -> str:
        from zhiyuan.organizations.roles import Role

        return str(Role(self.role).label) if self.role in Role.values else self.role
