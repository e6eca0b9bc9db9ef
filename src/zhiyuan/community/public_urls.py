"""Public community pages: /help/, /events/, /news/."""

from django.urls import path

from zhiyuan.community.views import public

app_name = "community_public"

urlpatterns = [
    path("help/", public.help_form, name="help"),
    path("help/status/", public.help_status, name="help_status"),
    path("events/", public.event_list, name="events"),
    path("events/<int:pk>/", public.event_detail, name="event"),
    path("events/<int:pk>/signup/", public.event_signup, name="event_signup"),
    path("news/", public.news_list, name="news"),
    path("news/<int:pk>/", public.news_detail, name="news_detail"),
    path("news/photos/<int:pk>/", public.news_photo, name="news_photo"),
]
