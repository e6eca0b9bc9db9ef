"""Publishers' news pages (/app/community/news/…): write with photos, take down, put back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiyuan.community.forms import NewsForm
from zhiyuan.community.selectors import news as selectors
from zhiyuan.community.services import news as services
from zhiyuan.community.views.common import page_of, querystring
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.organizations.roles import Perm


@login_required
def news_list(request: AuthedHttpRequest) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.news_list(user=request.user)),
        "querystring": querystring(request),
        "can_write": access.holds_any(request.user, [Perm.COMMUNITY_CHANGE]),
    }
    return render(request, "community/app/news.html", context)


@login_required
@denied_is_403
def news_write(request: AuthedHttpRequest) -> HttpResponse:
    form = NewsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            news = submit(
                form,
                services.news_publish,
                by=request.user,
                images=request.FILES.getlist("images"),
                **form.cleaned_data,
            )
            if news is not None:
                messages.success(request, _("已发布。"))
                return redirect("community:news")
    back = reverse("community:news")
    return render(request, "community/app/news_form.html", {"form": form, "back_url": back}, status=status)


def _toggle(request: AuthedHttpRequest, pk: int, publish: bool) -> HttpResponse:
    news = selectors.news_get(user=request.user, pk=pk)
    try:
        if publish:
            services.news_republish(by=request.user, news=news)
        else:
            services.news_unpublish(by=request.user, news=news)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已重新发布。") if publish else _("已撤下。"))
    return redirect("community:news")


@login_required
@require_POST
@denied_is_403
def news_unpublish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _toggle(request, pk, publish=False)


@login_required
@require_POST
@denied_is_403
def news_republish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _toggle(request, pk, publish=True)
