"""The project's URLs plus a hello-world JSON view, so the check-in bench's baseline goes through the very
same handler, middleware and URL resolver as the real endpoint."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from zhiyuan.config.urls import urlpatterns as project_urlpatterns


@csrf_exempt  # like the API: token-authenticated, not cookie-authenticated
def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"hello": "world"})


urlpatterns = [path("bench/hello", hello), *project_urlpatterns]
