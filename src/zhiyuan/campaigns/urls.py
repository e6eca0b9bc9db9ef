from django.urls import path

from zhiyuan.campaigns.views import campaigns as campaign_views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", campaign_views.campaign_list, name="list"),
    path("campaigns/<slug:slug>/", campaign_views.campaign_detail, name="detail"),
    path("campaigns/<slug:slug>/rotation/", campaign_views.rotation, name="rotation"),
    path("campaigns/<slug:slug>/clone/", campaign_views.clone, name="clone"),
    path("campaigns/<slug:slug>/attachments/<int:number>.xlsx", campaign_views.attachment, name="attachment"),
    path("duties/<int:pk>/file/", campaign_views.duty_filing, name="duty_file"),
    path("duties/<int:pk>/done/", campaign_views.duty_mark_done, name="duty_done"),
]
