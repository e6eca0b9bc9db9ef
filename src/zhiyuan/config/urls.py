from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhiyuan.accounts import views as account_views
from zhiyuan.campaigns.calendar_feed import shift_feed
from zhiyuan.config.api import api
from zhiyuan.core import holidays_views
from zhiyuan.core.views import healthz
from zhiyuan.hours.views import certificates as certificate_views
from zhiyuan.people.views import recruitment as recruitment_views
from zhiyuan.people.views import volunteers as people_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/login/", account_views.Login.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("zhiyuan.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("app/holidays/", holidays_views.holiday_list, name="holidays"),
    path("app/holidays/<int:pk>/", holidays_views.holiday_change, name="holiday_change"),
    path("app/", include("zhiyuan.workspace.urls")),  # the landing page, before the apps' own pages
    path("app/", include("zhiyuan.organizations.urls")),
    path("app/", include("zhiyuan.people.urls")),
    path("app/", include("zhiyuan.campaigns.urls")),
    path("app/", include("zhiyuan.hours.urls")),
    path("app/reports/", include("zhiyuan.reporting.urls")),
    path("app/inbox/", include("zhiyuan.notifications.urls")),
    path("app/ops/", include("zhiyuan.ops.urls")),
    path("register/", people_views.register, name="register"),
    path("register/code/", people_views.register_code, name="register_code"),
    path("recruit/", recruitment_views.public_list, name="recruit_list"),
    path("recruit/<int:pk>/", recruitment_views.public_detail, name="recruit_detail"),
    path("recruit/<int:pk>/apply/", recruitment_views.public_apply, name="recruit_apply"),
    path("verify/<str:number>/", certificate_views.verify, name="verify_certificate"),
    path("feeds/shifts/<int:user_id>-<str:token>.ics", shift_feed, name="shift_feed"),
    path("app/", include("zhiyuan.outreach.urls")),
    # the public portal: home, stations, channels, free tickets, venues (the workspace stays at /app/)
    path("", include("zhiyuan.portal.urls")),
    # community outreach: officers under /app/community/, the public at /help/, /events/, /news/
    path("app/community/", include("zhiyuan.community.urls")),
    path("", include("zhiyuan.community.public_urls")),
]
