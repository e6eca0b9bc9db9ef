"""/api/v1/accounts/… (public: 忘记密码 and setting a password), /api/v1/me/password, /api/v1/invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiyuan.accounts import passwords, selectors
from zhiyuan.accounts.invitations import invitation_resend
from zhiyuan.accounts.models import Invitation
from zhiyuan.accounts.views import FORGOT_LIMITS, SET_LIMITS
from zhiyuan.core import ratelimit
from zhiyuan.core.api import AuthedRequest, Error, Strict, ValidationErrors
from zhiyuan.core.api_errors import ApiError
from zhiyuan.core.pagination import Paginated

router = Router(tags=["accounts"])
PUBLIC: dict[int, Any] = {422: ValidationErrors, 429: Error}


class ForgotIn(Strict):
    login: str = Field(max_length=254, description="手机号或电子邮箱")


class ForgotOut(Schema):
    channel: str
    message: str


class CodePasswordIn(Strict):
    mobile: str = Field(max_length=30)
    code: str = Field(max_length=10)
    password: str = Field(max_length=128)


class TokenPasswordIn(Strict):
    uid: str = Field(max_length=64)
    token: str = Field(max_length=100)
    password: str = Field(max_length=128)


class ChangePasswordIn(Strict):
    old_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class InvitationOut(Schema):
    id: int
    user_id: int
    user_name: str
    organization_id: int
    organization_name: str
    role: str
    channel: str
    sent_count: int
    last_sent_at: dt.datetime | None
    accepted_at: dt.datetime | None

    @staticmethod
    def resolve_user_name(obj: Invitation) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_organization_name(obj: Invitation) -> str:
        return obj.organization.name


def _limit(message: str) -> None:
    if message:
        raise ApiError(429, message)


@router.post("/accounts/password/forgot", auth=None, response={202: ForgotOut, **PUBLIC})
def forgot(request: HttpRequest, payload: ForgotIn) -> Any:
    """Send an SMS code (mobile) or a link (e-mail). The answer is the same for an unknown mobile or
    address."""
    _limit(ratelimit.form_refusal(request, scope="reset", phone=payload.login, **FORGOT_LIMITS))
    if "@" not in payload.login:
        _limit(ratelimit.sms_refusal(request, mobile=payload.login))
    channel = passwords.password_reset_request(login=payload.login)
    message = (
        _("如果该电子邮箱已登记，我们已发送重设密码的链接。")
        if channel == "email"
        else _("如果该手机号已注册，验证码已发送，10分钟内有效。")
    )
    return Status(202, {"channel": channel, "message": message})


@router.post("/accounts/password/code", auth=None, response={204: None, **PUBLIC})
def set_by_code(request: HttpRequest, payload: CodePasswordIn) -> Any:
    """Set the password with the SMS code of an invitation or of 忘记密码."""
    _limit(ratelimit.form_refusal(request, scope="set-password", phone=payload.mobile, **SET_LIMITS))
    passwords.password_set_by_code(**payload.dict())
    return Status(204, None)


@router.post("/accounts/password/token", auth=None, response={204: None, **PUBLIC})
def set_by_token(request: HttpRequest, payload: TokenPasswordIn) -> Any:
    """Set the password with the uid and token of an e-mailed link (…/accounts/reset/<uid>/<token>/)."""
    _limit(ratelimit.form_refusal(request, scope="set-password", phone="", **SET_LIMITS))
    passwords.password_set_by_token(uidb64=payload.uid, token=payload.token, password=payload.password)
    return Status(204, None)


@router.post("/me/password", response={204: None, 422: ValidationErrors})
def change_password(request: AuthedRequest, payload: ChangePasswordIn) -> Any:
    passwords.password_change(user=request.auth, **payload.dict())
    return Status(204, None)


@router.get("/invitations", response=list[InvitationOut])
@paginate(Paginated)
def list_invitations(request: AuthedRequest, pending: bool = True) -> Any:
    """People added to the caller's units who have not set a password yet (`pending=false`: all)."""
    return selectors.invitation_list(user=request.auth, pending=pending)


@router.post(
    "/invitations/{invitation_id}/resend", response={200: InvitationOut, 403: Error, 404: Error, 409: Error}
)
def resend_invitation(request: AuthedRequest, invitation_id: int) -> Any:
    invitation = selectors.invitation_get(user=request.auth, pk=invitation_id)
    return invitation_resend(by=request.auth, invitation=invitation)
