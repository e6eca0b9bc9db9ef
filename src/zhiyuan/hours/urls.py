from django.urls import path

from zhiyuan.hours.views import attendance as attendance_views
from zhiyuan.hours.views import certificates, scan_app
from zhiyuan.hours.views import checkin as checkin_views
from zhiyuan.hours.views import compliance as compliance_views
from zhiyuan.hours.views import corrections as correction_views
from zhiyuan.hours.views import my_hours as my_hours_views
from zhiyuan.hours.views import rankings as rankings_views
from zhiyuan.hours.views import recognition as recognition_views
from zhiyuan.hours.views import review as review_views
from zhiyuan.hours.views import standards as standards_views

app_name = "hours"

urlpatterns = [
    path("hours/standards/", standards_views.standards, name="standards"),
    path("scan/", checkin_views.scan, name="scan"),
    path("scan/manifest.webmanifest", scan_app.manifest, name="scan_manifest"),
    path("scan/sw.js", scan_app.service_worker, name="scan_sw"),
    path("shifts/<int:pk>/poster/", checkin_views.poster, name="poster"),
    path("shifts/<int:pk>/poster.<str:fmt>", checkin_views.poster, name="poster_file"),
    path("shifts/<int:pk>/poster/reprint/", checkin_views.poster_reprint_view, name="poster_reprint"),
    path("shifts/<int:pk>/kiosk/", checkin_views.kiosk, name="kiosk"),
    path("me/certificates/", certificates.my_list, name="my_certificates"),
    path("certificates/<str:number>.pdf", certificates.download, name="certificate_pdf"),
    path("me/hours/", my_hours_views.my_hours, name="my_hours"),
    path("hours/reports/", my_hours_views.report_queue, name="report_queue"),
    path("hours/reports/<int:pk>/decide/", my_hours_views.report_decide, name="report_decide"),
    path("hours/reports/<int:pk>/photo/", my_hours_views.report_photo, name="report_photo"),
    path("hours/review/", review_views.review, name="review"),
    path("hours/review/overtime/<int:pk>/", review_views.overtime_decide, name="overtime_decide"),
    path("hours/review/backfills/new/", review_views.backfill_new, name="backfill_new"),
    path("hours/review/backfills/<int:pk>/", review_views.backfill_decide_view, name="backfill_decide"),
    path("hours/review/void/", review_views.void, name="void"),
    path("hours/compliance/", compliance_views.compliance, name="compliance"),
    # station posters, the attendance board and flagged scans (views/checkin.py, views/attendance.py)
    path("stations/<int:pk>/poster/", checkin_views.station_poster, name="station_poster"),
    path("stations/<int:pk>/poster.<str:fmt>", checkin_views.station_poster, name="station_poster_file"),
    path(
        "stations/<int:pk>/poster/reprint/",
        checkin_views.poster_reprint_view,
        {"target": "station"},
        name="station_poster_reprint",
    ),
    path("shifts/<int:pk>/attendance/", attendance_views.attendance, name="attendance"),
    path("checkins/flagged/", attendance_views.flagged, name="flagged"),
    path("checkins/<int:pk>/clear/", attendance_views.flag_clear, name="flag_clear"),
    # correction requests (views/corrections.py)
    path("me/hours/history/", correction_views.my_history, name="my_history"),
    path("me/hours/entries/<int:pk>/correction/", correction_views.request_form, name="correction_request"),
    path("hours/corrections/", correction_views.queue, name="corrections"),
    path("hours/corrections/<int:pk>/decide/", correction_views.decide, name="correction_decide"),
    path("hours/recognition/", recognition_views.recognition, name="recognition"),
    path(
        "hours/recognition/<str:number>/",
        recognition_views.recognition_volunteer,
        name="recognition_volunteer",
    ),
    path("hours/rankings/", rankings_views.rankings, name="rankings"),
    path("hours/rankings.xlsx", rankings_views.rankings_xlsx, name="rankings_xlsx"),
]
