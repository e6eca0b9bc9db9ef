"""/app/outreach/channels/: the officers' list of hotlines and channels, create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.forms import ChannelForm
from zhiyuan.outreach.selectors import officer as selectors
from zhiyuan.outreach.services import channels as services
from zhiyuan.outreach.views.common import form_page, page_of, run


@login_required
def channel_list(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.channels(user=request.user)),
        "can_add": access.holds_any(request.user, [Perm.OUTREACH_CHANGE]),
    }
    return render(request, "outreach/channels.html", context)


@login_required
@denied_is_403
def channel_create(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [Perm.OUTREACH_CHANGE]):
        raise access.PermissionDenied()
    form = ChannelForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = run(
            form,
            services.channel_create,
            by=request.user,
            organization=form.cleaned_data["organization"],
            **form.service_fields(),
        )
        if made is not None:
            messages.success(request, _("已添加。"))
            return redirect("outreach:channels")
    return form_page(request, form, _("添加热线与渠道"), reverse("outreach:channels"))


@login_required
@denied_is_403
def channel_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    channel = access.get_or_404(selectors.channels(user=request.user), pk=pk)
    access.require(request.user, Perm.OUTREACH_CHANGE, channel.organization)
    form = ChannelForm(request.POST or None, instance=channel, user=request.user)
    del form.fields["organization"]
    saved = request.method == "POST" and form.is_valid()
    if saved and run(
        form, services.channel_update, by=request.user, channel=channel, **form.service_fields()
    ):
        messages.success(request, _("已保存。"))
        return redirect("outreach:channels")
    return form_page(request, form, _("修改热线与渠道"), reverse("outreach:channels"))


@login_required
@require_POST
@denied_is_403
def channel_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    channel = access.get_or_404(selectors.channels(user=request.user), pk=pk)
    try:
        services.channel_delete(by=request.user, channel=channel)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除。"))
    return redirect("outreach:channels")
