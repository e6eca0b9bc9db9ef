from django.urls import path  # noqa: F401 - patterns are added per concept below

app_name = "campaigns"

urlpatterns: list = []
