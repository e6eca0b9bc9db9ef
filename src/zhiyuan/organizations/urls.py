from django.urls import path

from zhiyuan.organizations import views

app_name = "organizations"

urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("orgs/new/", views.create, name="create"),
    path("orgs/<int:pk>/", views.detail, name="detail"),
    path("orgs/<int:pk>/children/", views.children, name="children"),
    path("orgs/<int:pk>/edit/", views.edit, name="edit"),
    path("orgs/<int:pk>/delete/", views.delete, name="delete"),
    path("orgs/<int:pk>/seal/", views.seal, name="seal"),
    path("orgs/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("orgs/<int:org_pk>/contacts/add/", views.contact_edit, name="contact_add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
]
