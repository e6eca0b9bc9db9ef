"""The account forms: log in, 忘记密码, set a password with an SMS code or an e-mail link, change it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.forms import PhoneInput

LOGIN_LABEL = _("手机号 / 志愿者编号 / 用户名")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("账号或密码不正确。账号可以是手机号、志愿者编号或用户名。"),
        "inactive": _("该账号已停用，请联系所在单位。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = LOGIN_LABEL
        self.fields["password"].label = _("密码")


class ForgotForm(forms.Form):
    login = forms.CharField(
        label=_("手机号或电子邮箱"),
        max_length=254,
        widget=forms.TextInput({"autocomplete": "username", "autocapitalize": "none"}),
        help_text=_("手机号将收到短信验证码，电子邮箱将收到重设链接。"),
    )


class _NewPassword(forms.Form):
    password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=_("至少8位，不能全是数字，不要与姓名、手机号相近。"),
    )
    password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput({"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class CodePasswordForm(_NewPassword):
    mobile = forms.CharField(label=_("手机号"), max_length=30, widget=PhoneInput())
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=10,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    field_order = ["mobile", "code", "password", "password2"]


class TokenPasswordForm(_NewPassword):
    pass


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput({"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=_("至少8位，不能全是数字，不要与姓名、手机号相近。"),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput({"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("new_password")
            and data.get("new_password2")
            and data["new_password"] != data["new_password2"]
        ):
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        return data
