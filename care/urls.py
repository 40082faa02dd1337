from django.urls import include, path

from canlian.import_views import import_urls
from care.imports import AttendanceImporter, InstitutionImporter
from care.views import attendance, cases, institutions, membership, places, watches

app_name = "care"

urlpatterns = [
    path("", institutions.institution_list, name="institution_list"),
    path("institutions/<int:pk>/", institutions.institution_detail, name="institution_detail"),
    path("members/", institutions.member_list, name="member_list"),
    path("persons/<int:pk>/enrol/", membership.enrol, name="enrol"),
    path("enrolments/<int:pk>/end/", membership.enrolment_end, name="enrolment_end"),
    path("enrolments/<int:pk>/void/", membership.enrolment_void, name="enrolment_void"),
    path("waiting/<int:pk>/accept/", membership.waiting_accept, name="waiting_accept"),
    path("waiting/<int:pk>/withdraw/", membership.waiting_withdraw, name="waiting_withdraw"),
    path("attendance/", attendance.attendance_start, name="attendance_start"),
    path("institutions/<int:pk>/attendance/", attendance.attendance_day, name="attendance_day"),
    path("institutions/<int:pk>/attendance/month/", attendance.attendance_month, name="attendance_month"),
    path("institutions/<int:pk>/attendance/month.xlsx", attendance.attendance_export, name="attendance_export"),
    path("readiness/", places.readiness, name="readiness"),
    path("readiness.xlsx", places.readiness_export, name="readiness_export"),
    path("institutions/<int:pk>/checks/", places.institution_checks, name="institution_checks"),
    path("institutions/<int:pk>/checks/add/", places.check_add, name="check_add"),
    path("institutions/<int:pk>/drills/add/", places.drill_add, name="drill_add"),
    path("placements/", places.placement_list, name="placement_list"),
    path("placements.xlsx", places.placement_export, name="placement_export"),
    path("persons/<int:pk>/placement/", places.placement_add, name="placement_add"),
    path("placements/<int:pk>/end/", places.placement_end, name="placement_end"),
    path("placements/<int:pk>/void/", places.placement_void, name="placement_void"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/overdue.xlsx", cases.case_overdue_export, name="case_overdue_export"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("cases/<int:pk>/void/", cases.case_void, name="case_void"),
    path("followups/<int:pk>/void/", cases.followup_void, name="followup_void"),
    path("persons/<int:pk>/case/", cases.case_open, name="case_open"),
    path("watches/", watches.watch_list, name="watch_list"),
    path("watches.xlsx", watches.watch_export, name="watch_export"),
    path("watches/<int:pk>/end/", watches.watch_end, name="watch_end"),
    path("watches/<int:pk>/void/", watches.watch_void, name="watch_void"),
    path("persons/<int:pk>/watch/", watches.watch_issue, name="watch_issue"),
    path("import/", include(import_urls(InstitutionImporter, "institutions"))),
    path("import/", include(import_urls(AttendanceImporter, "attendance"))),
]
