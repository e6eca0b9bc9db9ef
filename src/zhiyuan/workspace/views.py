from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.workspace.landing import landing


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """`/app/`: the person's day — what they do, from the landing parts they qualify for."""
    day = landing(user=request.user)
    empty = not (day.officer or day.leader or day.liaison or day.volunteer)
    return render(request, "workspace/home.html", {"day": day, "empty": empty})
