"""Account pages: 忘记密码, set a password (SMS code or e-mail link), change it, and the officer's list of
pending invitations. Public forms are rate-limited per IP (and per mobile for SMS codes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.accounts import passwords, selectors
from zhiyuan.accounts.backends import PATH as BACKEND
from zhiyuan.accounts.forms import (
    ChangePasswordForm,
    CodePasswordForm,
    ForgotForm,
    LoginForm,
    TokenPasswordForm,
)
from zhiyuan.accounts.invitations import invitation_resend
from zhiyuan.core import access, ratelimit
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest

# (attempts, seconds) per IP: the forms that check a code or send one
FORGOT_LIMITS = {"per_ip": (10, 3600), "per_phone": (5, 3600)}
SET_LIMITS = {"per_ip": (20, 3600), "per_phone": (10, 3600)}
SESSION_MOBILE = "accounts_reset_mobile"


class Login(LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


def forgot(request: HttpRequest) -> HttpResponse:
    form = ForgotForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["login"]
        limited = ratelimit.form_refusal(request, scope="reset", phone=typed, **FORGOT_LIMITS)
        if not limited and "@" not in typed:
            limited = ratelimit.sms_refusal(request, mobile=typed)
        if limited:
            form.add_error(None, limited)
            status = 429
        else:
            channel = submit(form, passwords.password_reset_request, login=typed)
            if channel == "email":
                return render(request, "accounts/forgot_sent.html", {"channel": channel})
            if channel == "sms":
                request.session[SESSION_MOBILE] = typed.strip()  # not in the URL: it would reach access logs
                messages.info(request, _("如果该手机号已注册，验证码已发送，10分钟内有效。"))
                return redirect("accounts:activate")
    return render(request, "accounts/forgot.html", {"form": form}, status=status)


def activate(request: HttpRequest) -> HttpResponse:
    """Set a password with an SMS code: the invitation's (7 days) or a reset's (10 minutes)."""
    initial = {"mobile": request.session.get(SESSION_MOBILE, "")}
    form = CodePasswordForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        limited = ratelimit.form_refusal(request, scope="set-password", phone=data["mobile"], **SET_LIMITS)
        if limited:
            form.add_error(None, limited)
            status = 429
        else:
            user = submit(
                form,
                passwords.password_set_by_code,
                mobile=data["mobile"],
                code=data["code"],
                password=data["password"],
            )
            if user is not None:
                request.session.pop(SESSION_MOBILE, None)
                login(request, user, backend=BACKEND)
                messages.success(request, _("密码已设置。以后可用手机号和新密码登录。"))
                return redirect("/app/")
    return render(request, "accounts/activate.html", {"form": form}, status=status)


def reset(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Set a password from an e-mail link (an invitation or a reset)."""
    if passwords.token_user(uidb64=uidb64, token=token) is None:
        return render(request, "accounts/reset_invalid.html", status=404)
    form = TokenPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = submit(
            form,
            passwords.password_set_by_token,
            uidb64=uidb64,
            token=token,
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user, backend=BACKEND)
            messages.success(request, _("密码已设置。"))
            return redirect("/app/")
    return render(request, "accounts/reset.html", {"form": form})


@login_required
def password_change(request: AuthedHttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = submit(
            form,
            passwords.password_change,
            user=request.user,
            old_password=data["old_password"],
            new_password=data["new_password"],
        )
        if user is not None:
            update_session_auth_hash(request, user)  # stay logged in here, other sessions end
            messages.success(request, _("密码已修改。"))
            return redirect("people:me")
    context = {
        "form": form,
        "title": _("修改密码"),
        "back_url": reverse("people:me"),
        "back_label": _("我的"),
    }
    return render(request, "form.html", context)


@login_required
def invitations(request: AuthedHttpRequest) -> HttpResponse:
    pending = selectors.invitation_list(user=request.user)
    return render(
        request, "accounts/invitations.html", {"invitations": pending[:200], "count": pending.count()}
    )


@login_required
@require_POST
def invitation_resend_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    try:
        invitation_resend(by=request.user, invitation=invitation)
    except (Refused, access.PermissionDenied, ValidationError) as exc:
        messages.error(request, str(exc) or _("无法重新发送。"))
    else:
        messages.success(request, _("已重新发送邀请给%(name)s。") % {"name": invitation.user.display_name})
    return redirect("accounts:invitations")
