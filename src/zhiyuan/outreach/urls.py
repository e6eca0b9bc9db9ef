from django.urls import path

from zhiyuan.outreach.views import channels, tickets, venues

app_name = "outreach"

urlpatterns = [
    path("outreach/", tickets.index, name="index"),
    path("outreach/channels/", channels.channel_list, name="channels"),
    path("outreach/channels/new/", channels.channel_create, name="channel_create"),
    path("outreach/channels/<int:pk>/edit/", channels.channel_edit, name="channel_edit"),
    path("outreach/channels/<int:pk>/delete/", channels.channel_delete, name="channel_delete"),
    path("outreach/venues/", venues.venue_list, name="venues"),
    path("outreach/venues/new/", venues.venue_create, name="venue_create"),
    path("outreach/venues/<int:pk>/", venues.venue_detail, name="venue"),
    path("outreach/venues/<int:pk>/edit/", venues.venue_edit, name="venue_edit"),
    path(
        "outreach/reservations/<int:pk>/<str:decision>/",
        venues.reservation_decide,
        name="reservation_decide",
    ),
    path("outreach/tickets/", tickets.donation_list, name="donations"),
    path("outreach/tickets/new/", tickets.donation_create, name="donation_create"),
    path("outreach/tickets/<int:pk>/", tickets.donation_detail, name="donation"),
    path("outreach/tickets/<int:pk>/edit/", tickets.donation_edit, name="donation_edit"),
    path("outreach/tickets/<int:pk>/delete/", tickets.donation_delete, name="donation_delete"),
    path("outreach/claims/", tickets.claim_find, name="claim_find"),
    path("outreach/claims/<str:code>/", tickets.claim_collect, name="claim_collect"),
]
