from django.urls import path

from zhiyuan.people.views import roster
from zhiyuan.people.views import volunteers as views

app_name = "people"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/edit/", views.me_edit, name="me_edit"),
    path("volunteers/", views.volunteer_search, name="search"),
    path("volunteers/new/", views.volunteer_enter_view, name="enter"),
    path("volunteers/<str:number>/", views.volunteer_detail, name="detail"),
    path("volunteers/<str:number>/edit/", views.volunteer_edit, name="edit"),
    path("volunteers/<str:number>/reveal/", views.volunteer_reveal, name="reveal"),
    path("roster/", roster.imports, name="roster_imports"),
    path("roster/template.xlsx", roster.template_download, name="roster_template"),
    path("roster/<int:pk>/", roster.import_status, name="roster_import"),
    path("orgs/<int:pk>/roster.xlsx", roster.roster_download, name="roster_download"),
]
