from django.urls import path

from zhiyuan.hours.views import certificates
from zhiyuan.hours.views import checkin as checkin_views
from zhiyuan.hours.views import compliance as compliance_views
from zhiyuan.hours.views import my_hours as my_hours_views

app_name = "hours"

urlpatterns = [
    path("scan/", checkin_views.scan, name="scan"),
    path("shifts/<int:pk>/poster/", checkin_views.poster, name="poster"),
    path("shifts/<int:pk>/poster.<str:fmt>", checkin_views.poster, name="poster_file"),
    path("me/certificates/", certificates.my_list, name="my_certificates"),
    path("certificates/<str:number>.pdf", certificates.download, name="certificate_pdf"),
    path("me/hours/", my_hours_views.my_hours, name="my_hours"),
    path("hours/reports/", my_hours_views.report_queue, name="report_queue"),
    path("hours/reports/<int:pk>/decide/", my_hours_views.report_decide, name="report_decide"),
    path("hours/reports/<int:pk>/photo/", my_hours_views.report_photo, name="report_photo"),
    path("hours/compliance/", compliance_views.compliance, name="compliance"),
]
