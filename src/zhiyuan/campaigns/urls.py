from django.urls import path

from zhiyuan.campaigns.views import campaign_forms as campaign_form_views
from zhiyuan.campaigns.views import campaigns as campaign_views
from zhiyuan.campaigns.views import emergency as emergency_views
from zhiyuan.campaigns.views import rotation_edit as rotation_views
from zhiyuan.campaigns.views import shifts as shift_views
from zhiyuan.campaigns.views import stations as station_views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", campaign_views.campaign_list, name="list"),
    path("campaigns/new/", campaign_form_views.campaign_new, name="create"),
    path("campaigns/<slug:slug>/edit/", campaign_form_views.campaign_edit, name="edit"),
    path("campaigns/<slug:slug>/", campaign_views.campaign_detail, name="detail"),
    path("campaigns/<slug:slug>/rotation/", campaign_views.rotation, name="rotation"),
    path("campaigns/<slug:slug>/rotation/lay/", rotation_views.rotation_lay_page, name="rotation_lay"),
    path("campaigns/<slug:slug>/rotation/swap/", rotation_views.rotation_swap, name="rotation_swap"),
    path("duties/<int:pk>/fill/", rotation_views.duty_fill, name="duty_fill"),
    path("campaigns/<slug:slug>/clone/", campaign_views.clone, name="clone"),
    path("campaigns/<slug:slug>/attachments/<int:number>.xlsx", campaign_views.attachment, name="attachment"),
    path("duties/<int:pk>/file/", campaign_views.duty_filing, name="duty_file"),
    path("duties/<int:pk>/done/", campaign_views.duty_mark_done, name="duty_done"),
    # stations, 六有一落实, 工作台账, stock (views/stations.py)
    path("stations/", station_views.station_list, name="stations"),
    path("stations/new/", station_views.station_create, name="station_create"),
    path("stations/standards/", station_views.standards_overview, name="standards"),
    path("stations/standards/<int:pk>/photo/", station_views.standard_photo, name="standard_photo"),
    path("stations/<int:pk>/", station_views.station_detail, name="station"),
    path("stations/<int:pk>/edit/", station_views.station_edit, name="station_edit"),
    path("stations/<int:pk>/ledger/", station_views.station_ledger, name="station_ledger"),
    path("stations/<int:pk>/services/new/", station_views.service_record, name="service_record"),
    path("stations/<int:pk>/stock/new/", station_views.consumable_create, name="consumable_create"),
    path("stations/<int:pk>/stock/<int:consumable_pk>/move/", station_views.stock_move, name="stock_move"),
    path("stations/<int:pk>/standards/<str:item>/", station_views.standard_edit, name="standard_edit"),
    # emergency readiness and incidents (views/emergency.py)
    path("stations/<int:pk>/emergency/pairing/", emergency_views.pairing_edit, name="pairing_edit"),
    path("stations/<int:pk>/emergency/plans/new/", emergency_views.plan_create, name="plan_create"),
    path("stations/<int:pk>/incidents/new/", emergency_views.incident_report, name="incident_report"),
    path("emergency/plans/<int:pk>/edit/", emergency_views.plan_edit, name="plan_edit"),
    path("emergency/plans/<int:pk>/activate/", emergency_views.plan_activate, name="plan_activate"),
    path("emergency/activations/<int:pk>/", emergency_views.activation_detail, name="activation"),
    path(
        "emergency/activations/<int:pk>/confirm/",
        emergency_views.activation_confirm,
        name="activation_confirm",
    ),
    path("emergency/activations/<int:pk>/close/", emergency_views.activation_close, name="activation_close"),
    path("incidents/", emergency_views.incident_list, name="incidents"),
    path("incidents/<int:pk>/", emergency_views.incident_detail, name="incident"),
    path("incidents/<int:pk>/photo/", emergency_views.incident_photo, name="incident_photo"),
    path("incidents/<int:pk>/escalate/", emergency_views.incident_escalate, name="incident_escalate"),
    path("incidents/<int:pk>/resolve/", emergency_views.incident_resolve, name="incident_resolve"),
    # shifts, sign-ups, waiting list, swaps (views/shifts.py)
    path("shifts/", shift_views.calendar, name="shifts"),
    path("shifts/new/", shift_views.shift_create, name="shift_create"),
    path("shifts/recurring/new/", shift_views.recurring_create, name="recurring_create"),
    path("shifts/<int:pk>/", shift_views.shift_detail, name="shift"),
    path("shifts/<int:pk>/edit/", shift_views.shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/cancel/", shift_views.shift_cancel, name="shift_cancel"),
    path("shifts/<int:pk>/signup/", shift_views.shift_signup, name="shift_signup"),
    path("shifts/<int:pk>/assign/", shift_views.shift_assign, name="shift_assign"),
    path("signups/<int:pk>/cancel/", shift_views.signup_cancel, name="signup_cancel"),
    path("signups/<int:pk>/swap/", shift_views.signup_swap, name="signup_swap"),
    path("swaps/<int:pk>/decide/", shift_views.swap_decide, name="swap_decide"),
    path("me/shifts/", shift_views.my_shifts, name="my_shifts"),
    path("stations/<int:pk>/adhoc/", station_views.station_adhoc, name="station_adhoc"),
]
