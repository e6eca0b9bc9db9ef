"""Telling a person an officer added: an invitation to set a password for someone who cannot log in yet
(an SMS code, else an e-mail link), or an inbox notice for someone who already can (issue 12 item 6)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from zhiyuan.accounts.models import Invitation
from zhiyuan.core import access, sms
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.core.site import absolute_url
from zhiyuan.notifications.handoffs import handoff_notify
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm, Role

log = logging.getLogger(__name__)

INVITE_CODE_TTL = timedelta(days=7)
RESEND_AFTER = timedelta(seconds=60)


def reset_link(user: User) -> str:
    """The absolute e-mail link that sets a password; it stops working once the password is set."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:reset", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
    )
    return absolute_url(path)


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else _("成员")


def _send_sms(mobile: str, text: str) -> None:
    try:
        sms.send(mobile=mobile, text=text)
    except sms.SmsError:
        # the invitation stays pending on the officer's list, where it can be sent again
        log.warning("invitation SMS not handed over")


def _send_email(address: str, subject: str, text: str) -> None:
    try:
        EmailMessage(subject=subject, body=text, to=[address]).send()
    except OSError:
        log.warning("invitation e-mail not handed over")


def _deliver(invitation: Invitation) -> None:
    from zhiyuan.people.services.phone import phone_code_issue

    user, org = invitation.user, invitation.organization
    context = {"org": org.name, "role": _role_label(invitation.role)}
    if user.mobile:
        code = phone_code_issue(mobile=user.mobile, ttl=INVITE_CODE_TTL)
        text = _(
            "【志愿】%(org)s已将您添加为%(role)s。请在7天内打开 %(url)s ，用本手机号和验证码 %(code)s 设置密码后登录。"
        ) % {**context, "url": absolute_url(reverse("accounts:activate")), "code": code}
        mobile = user.mobile
        transaction.on_commit(lambda: _send_sms(mobile, text))
        invitation.channel = Invitation.Channel.SMS
    elif user.email:
        subject = _("志愿：请设置您的登录密码")
        text = _("%(org)s已将您添加为%(role)s。请打开下面的链接设置密码（3天内有效）：\n\n%(url)s") % {
            **context,
            "url": reset_link(user),
        }
        address = user.email
        transaction.on_commit(lambda: _send_email(address, subject, text))
        invitation.channel = Invitation.Channel.EMAIL
    else:
        invitation.channel = Invitation.Channel.NONE
    if invitation.channel != Invitation.Channel.NONE:
        invitation.sent_count += 1
        invitation.last_sent_at = timezone.now()
    invitation.save()


@transaction.atomic
def person_added_tell(
    *, by: User, user: User, organization: Organization, role: str = ""
) -> Invitation | None:
    """Called whenever an officer adds `user` to `organization`: an invitation when they cannot log in
    yet (returned), else a notification in their inbox (and by SMS/e-mail) with a link to the unit."""
    if user.has_usable_password():
        context = {
            "by": by.display_name,
            "org": organization.name,
            "org_id": organization.pk,
            "role": _role_label(role),
        }
        handoff_notify(event="member.added", recipients=[user], context=context)
        return None
    invitation, _created = Invitation.objects.get_or_create(
        user=user,
        organization=organization,
        defaults={"role": role, "invited_by": by, "channel": Invitation.Channel.NONE},
    )
    if invitation.accepted_at is None:
        _deliver(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, by: User, invitation: Invitation) -> Invitation:
    access.require(by, Perm.MEMBER_CHANGE, invitation.organization)
    invitation = (
        Invitation.objects.select_for_update().select_related("user", "organization").get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None or invitation.user.has_usable_password():
        raise Refused(_("此人已设置密码，无需重新发送。"))
    if invitation.last_sent_at and invitation.last_sent_at > timezone.now() - RESEND_AFTER:
        raise Refused(_("邀请刚刚发送过，请60秒后再试。"))
    if not (invitation.user.mobile or invitation.user.email):
        raise Refused(_("此人没有手机号或电子邮箱，无法发送邀请；请先补充联系方式。"))
    _deliver(invitation)
    return invitation


def invitations_accept(*, user: User) -> None:
    """The person set a password: every invitation they had is done."""
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), updated_at=timezone.now()
    )
