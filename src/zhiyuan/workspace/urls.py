from django.urls import path

from zhiyuan.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
]
