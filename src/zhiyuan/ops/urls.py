from django.urls import path

from zhiyuan.ops import views

app_name = "ops"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("panel/", views.board_panel, name="panel"),
    path("forecast/", views.forecast_page, name="forecast"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
]
