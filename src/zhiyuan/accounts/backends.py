"""Log in with whatever a person knows: 手机号, 志愿者编号 or 用户名 (someone added by an officer was given a
pinyin user name they never saw)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from zhiyuan.core import phones
from zhiyuan.core.models import User

PATH = "zhiyuan.accounts.backends.LoginBackend"


def account_for(login: str) -> User | None:
    login = login.strip()
    if not login:
        return None
    user = User.objects.filter(username=login).first()
    if user is not None:
        return user
    try:
        mobile = phones.normalise_mobile(login)
    except ValidationError:
        pass
    else:
        if (user := User.objects.filter(mobile=mobile).first()) is not None:
            return user
    if login[:2].upper() == "ZY":
        return User.objects.filter(volunteer__number__iexact=login).first()
    return None


class LoginBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = account_for(username)
        if user is None:
            User().set_password(password)  # as slow as a wrong password: timing tells nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
