"""Officers' community pages under /app/community/."""

from django.urls import path
from django.views.generic import RedirectView

from zhiyuan.community.views import children, events, help, needs, news

app_name = "community"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="community:help_queue"), name="index"),
    path("help/", help.help_queue, name="help_queue"),
    path("help/new/", help.help_file_for_caller, name="help_file"),
    path("help/<int:pk>/", help.help_detail, name="help"),
    path("help/<int:pk>/advance/", help.help_advance, name="help_advance"),
    path("needs/", needs.overview, name="needs"),
    path("needs/tickets/", needs.ticket_queue, name="tickets"),
    path("needs/visits/new/", needs.visit_create, name="visit_create"),
    path("needs/visits/<int:pk>/", needs.visit_detail, name="visit"),
    path("needs/visits/<int:pk>/add/", needs.need_add, name="need_add"),
    path("needs/<int:pk>/ticket/", needs.need_ticket, name="need_ticket"),
    path("children/", children.child_list, name="children"),
    path("children/new/", children.child_register, name="child_register"),
    path("children/<int:pk>/", children.child_detail, name="child"),
    path("children/<int:pk>/pair/", children.pairing_create, name="pair"),
    path("children/<int:pk>/withdraw/", children.consent_withdraw, name="consent_withdraw"),
    path("pairings/<int:pk>/contacts/new/", children.contact_add, name="contact_add"),
    path("donations/", children.donation_list, name="donations"),
    path("donations/new/", children.donation_record, name="donation_record"),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("signups/<int:pk>/attendance/", events.attendance, name="attendance"),
    path("news/", news.news_list, name="news"),
    path("news/new/", news.news_write, name="news_write"),
    path("news/<int:pk>/unpublish/", news.news_unpublish, name="news_unpublish"),
    path("news/<int:pk>/republish/", news.news_republish, name="news_republish"),
]
