from django.urls import include, path

from zhiyuan.reporting.views import dues as due_views
from zhiyuan.reporting.views import reviews as review_views
from zhiyuan.reporting.views import rules as rule_views
from zhiyuan.reporting.views import submissions as submission_views

app_name = "reporting"

urlpatterns = [
    path("", due_views.my_dues, name="my_dues"),
    path("r/<int:rule_id>/<int:org_id>/new/", due_views.open_any_time, name="open_any_time"),
    path("r/<int:rule_id>/<int:org_id>/<str:period>/", due_views.open_period, name="submission_form"),
    path("submissions/<int:pk>/", submission_views.detail, name="submission"),
    path("submissions/<int:pk>/files/", submission_views.upload, name="upload"),
    path("files/<int:pk>/", submission_views.file, name="file"),
    path("files/<int:pk>/delete/", submission_views.file_delete, name="file_delete"),
    path("campaigns/<slug:slug>/rules/", rule_views.rule_list, name="rules"),
    path("campaigns/<slug:slug>/rules/new/", rule_views.rule_edit, name="rule_create"),
    path("campaigns/<slug:slug>/rules/<int:pk>/", rule_views.rule_edit, name="rule_edit"),
    path("review/", review_views.queue, name="review_queue"),
    path("submissions/<int:pk>/review/", review_views.decide, name="review"),
    path("submissions/<int:pk>/publish/", review_views.publish, name="publish"),
    path("", include("zhiyuan.reporting.views.scoreboard_urls")),  # scoreboard, campaign exports
]
