from django.urls import path

from zhiyuan.portal import http
from zhiyuan.portal.views import pages, tickets, venues

app_name = "portal"

urlpatterns = [
    path("", pages.home, name="home"),
    path("lang/<str:code>/", http.language, name="language"),
    path("stations/", pages.stations, name="stations"),
    path("stations/<int:pk>/", pages.station_detail, name="station"),
    path("channels/", pages.channels, name="channels"),
    path("tickets/", tickets.ticket_list, name="tickets"),
    path("tickets/<int:pk>/claim/", tickets.claim, name="claim"),
    path("tickets/claim/", tickets.claim_lookup, name="claim_lookup"),
    path("tickets/claim/<str:code>/", tickets.claim_status, name="claim_status"),
    path("tickets/claim/<str:code>/cancel/", tickets.claim_cancel, name="claim_cancel"),
    path("venues/", venues.venue_list, name="venues"),
    path("venues/<int:pk>/", venues.venue_detail, name="venue"),
    path("venues/<int:pk>/reserve/", venues.reserve, name="reserve"),
    path("venues/reservation/<str:code>/", venues.reservation_status, name="reservation_status"),
]
