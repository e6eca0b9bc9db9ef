from django.urls import path

from zhiyuan.people.views import data_rights, roster
from zhiyuan.people.views import recruitment as recruitment_views
from zhiyuan.people.views import training as training_views
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
    path("recruitments/", recruitment_views.recruitment_list, name="recruitments"),
    path("recruitments/new/", recruitment_views.recruitment_create, name="recruitment_create"),
    path("recruitments/<int:pk>/", recruitment_views.recruitment_detail, name="recruitment"),
    path("recruitments/<int:pk>/edit/", recruitment_views.recruitment_edit, name="recruitment_edit"),
    path("recruitments/<int:pk>/publish/", recruitment_views.recruitment_publish, name="recruitment_publish"),
    path("recruitments/<int:pk>/close/", recruitment_views.recruitment_close, name="recruitment_close"),
    path("recruitments/<int:pk>/cancel/", recruitment_views.recruitment_cancel, name="recruitment_cancel"),
    path("recruitments/<int:pk>/applications/", recruitment_views.applications, name="applications"),
    path("applications/<int:pk>/decide/", recruitment_views.application_decide, name="application_decide"),
    path(
        "applications/<int:pk>/withdraw/", recruitment_views.application_withdraw, name="application_withdraw"
    ),
    path("me/applications/", recruitment_views.my_applications, name="my_applications"),
    path("me/data.<str:fmt>", data_rights.my_data, name="my_data"),
    path("me/delete/", data_rights.request_deletion, name="request_deletion"),
    path("deletions/", data_rights.deletion_queue, name="deletions"),
    path("deletions/<int:pk>/decide/", data_rights.deletion_decide, name="deletion_decide"),
    path("roster/", roster.imports, name="roster_imports"),
    path("roster/template.xlsx", roster.template_download, name="roster_template"),
    path("roster/<int:pk>/", roster.import_status, name="roster_import"),
    path("orgs/<int:pk>/roster.xlsx", roster.roster_download, name="roster_download"),
    path("me/training/", training_views.my_training, name="my_training"),
    path("training/", training_views.course_list, name="training_list"),
    path("training/new/", training_views.course_create, name="training_create"),
    path("training/<int:pk>/", training_views.course_detail, name="training_detail"),
    path("training/<int:pk>/edit/", training_views.course_edit, name="training_edit"),
    path("training/<int:pk>/materials/new/", training_views.material_add, name="training_material_add"),
    path("training/<int:pk>/sessions/new/", training_views.session_create, name="training_session_add"),
    path("training/<int:pk>/required/", training_views.course_require, name="training_require"),
    path(
        "training/<int:pk>/required/<int:org_pk>/remove/",
        training_views.course_unrequire,
        name="training_unrequire",
    ),
    path("training/<int:pk>/completions/new/", training_views.completion_add, name="training_completion_add"),
    path("training/materials/<int:pk>/", training_views.material_download, name="training_material"),
    path(
        "training/materials/<int:pk>/remove/", training_views.material_remove, name="training_material_remove"
    ),
    path("training/sessions/<int:pk>/", training_views.session_detail, name="training_session"),
    path(
        "training/sessions/<int:pk>/attendance/",
        training_views.session_attendance,
        name="training_attendance",
    ),
    path("training/sessions/<int:pk>/register/", training_views.session_register, name="training_register"),
]
