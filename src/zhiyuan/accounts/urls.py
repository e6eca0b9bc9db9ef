from django.urls import path

from zhiyuan.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/password/forgot/", views.forgot, name="forgot"),
    path("accounts/password/set/", views.activate, name="activate"),
    path("accounts/reset/<str:uidb64>/<str:token>/", views.reset, name="reset"),
    path("app/me/password/", views.password_change, name="password_change"),
    path("app/invitations/", views.invitations, name="invitations"),
    path("app/invitations/<int:pk>/resend/", views.invitation_resend_view, name="invitation_resend"),
]
