"""Setting, resetting and changing a password. A reset answers the same whether or not an account has the
mobile or e-mail (issue 14 item 4): only someone holding the right SMS code learns anything."""

from __future__ import annotations

import contextlib

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.accounts.invitations import _send_email, invitations_accept, reset_link
from zhiyuan.core import phones
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User

BAD_LINK = gettext_lazy("链接无效或已过期，请重新申请重设密码。")


def _strong(password: str, user: User, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def password_reset_request(*, login: str) -> str:
    """Send a code to a mobile, or a link to an e-mail address, when an active account has it; returns
    the channel ("sms" or "email") so the page can say where to look. A malformed mobile is a field error
    (that says nothing about any account); an unknown one is answered like a known one."""
    from zhiyuan.people.services.phone import phone_code_send

    login = login.strip()
    if "@" in login:
        user = User.objects.filter(email__iexact=login, is_active=True).first()
        if user is not None:
            text = _(
                "请打开下面的链接重设您的志愿平台密码（3天内有效）；如果不是您本人操作，请忽略本邮件。\n\n%(url)s"
            )
            _send_email(user.email, _("志愿：重设密码"), text % {"url": reset_link(user)})
        return "email"
    try:
        mobile = phones.normalise_mobile(login)
    except ValidationError as exc:
        raise ValidationError({"login": _("请输入手机号或电子邮箱。") + exc.messages[0]}) from None
    if User.objects.filter(mobile=mobile, is_active=True).exists():
        # a code sent a moment ago is still valid; saying so would tell that the number is known
        with contextlib.suppress(Refused):
            phone_code_send(mobile=mobile)
    return "sms"


def password_set_by_code(*, mobile: str, code: str, password: str) -> User:
    """Set the password of the account holding `mobile`, proven by the SMS code (an invitation's or a
    reset's). The code is checked first: a wrong code says nothing about the number."""
    from zhiyuan.people.services.phone import phone_code_check, phone_code_consume

    verification = phone_code_check(mobile=mobile, code=code)
    user = User.objects.filter(mobile=verification.mobile, is_active=True).first()
    if user is None:
        raise ValidationError({"mobile": _("该手机号还没有账号，请先注册成为志愿者。")})
    _strong(password, user)
    with transaction.atomic():
        phone_code_consume(verification=verification)
        user.set_password(password)
        user.save(update_fields=["password", "updated_at"])
        invitations_accept(user=user)
    return user


def token_user(*, uidb64: str, token: str) -> User | None:
    """The account an e-mail link is for, while the link is valid."""
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True).first()
    except (ValueError, TypeError, OverflowError):
        return None
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def password_set_by_token(*, uidb64: str, token: str, password: str) -> User:
    user = token_user(uidb64=uidb64, token=token)
    if user is None:
        raise ValidationError({"token": str(BAD_LINK)})
    _strong(password, user)
    with transaction.atomic():
        user.set_password(password)  # changes the hash, so the link cannot be used twice
        user.save(update_fields=["password", "updated_at"])
        invitations_accept(user=user)
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    _strong(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    return user
