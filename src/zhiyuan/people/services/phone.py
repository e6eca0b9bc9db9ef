"""One-time codes that prove a person holds a mobile number."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import phones, sms
from zhiyuan.core.errors import Refused
from zhiyuan.people.models import PhoneVerification

CODE_TTL = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
MAX_PER_HOUR = 5
MAX_ATTEMPTS = 5


def _digest(mobile: str, code: str) -> str:
    # keyed, so a database dump does not hand out the six-digit codes by brute force
    return hmac.new(settings.SECRET_KEY.encode(), f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _mobile(raw: str) -> str:
    try:
        return phones.normalise_mobile(raw)
    except ValidationError as exc:
        raise ValidationError({"mobile": exc.messages}) from None


@transaction.atomic
def phone_code_send(*, mobile: str) -> None:
    mobile = _mobile(mobile)
    now = timezone.now()
    recent = PhoneVerification.objects.select_for_update().filter(
        mobile=mobile, created_at__gte=now - timedelta(hours=1)
    )
    if recent.filter(created_at__gte=now - RESEND_AFTER).exists():
        raise Refused(_("验证码已发送，请60秒后再试。"))
    if recent.count() >= MAX_PER_HOUR:
        raise Refused(_("验证码发送次数过多，请一小时后再试。"))
    code = phone_code_issue(mobile=mobile, ttl=CODE_TTL)
    sms.send(mobile=mobile, text=_("【志愿】您的验证码是 %(code)s，10分钟内有效。") % {"code": code})


def phone_code_issue(*, mobile: str, ttl: timedelta) -> str:
    """A new code for `mobile`, stored only as its keyed digest; the caller sends it (an invitation puts
    it in its own text). No throttle here: callers are the throttled public form and officers' invites."""
    mobile = _mobile(mobile)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneVerification.objects.create(
        mobile=mobile, code_digest=_digest(mobile, code), expires_at=timezone.now() + ttl
    )
    return code


def phone_code_check(*, mobile: str, code: str) -> PhoneVerification:
    """The live verification `code` matches, not yet consumed; ValidationError on `code` otherwise.

    A wrong code is counted in its own transaction, committed before the error is raised, so retrying
    inside a failing registration cannot go on guessing for ever.
    """
    mobile = _mobile(mobile)
    failed = False
    with transaction.atomic():
        live = (
            PhoneVerification.objects.select_for_update()
            .filter(mobile=mobile, verified_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if live is None or live.attempts >= MAX_ATTEMPTS:
            failed = True
        elif not hmac.compare_digest(live.code_digest, _digest(mobile, "".join(code.split()))):
            live.attempts += 1
            live.save(update_fields=["attempts", "updated_at"])
            failed = True
    if failed or live is None:
        raise ValidationError({"code": _("验证码不正确或已过期，请重新获取。")})
    return live


def phone_code_consume(*, verification: PhoneVerification) -> None:
    """Use the code up, inside the caller's transaction: a code registers one account at most."""
    used = PhoneVerification.objects.filter(pk=verification.pk, verified_at__isnull=True).update(
        verified_at=timezone.now()
    )
    if not used:
        raise ValidationError({"code": _("验证码不正确或已过期，请重新获取。")})
