from django.urls import include, path

from canlian.import_views import import_urls
from employment import views, views_work
from employment.imports import EnrolmentImporter

app_name = "employment"

urlpatterns = [
    path("", views.network, name="network"),
    path("figures/", views.figures, name="figures"),
    path("persons/<int:pk>/status/", views.status_add, name="status_add"),
    path("persons/<int:pk>/assessment/", views.assessment_add, name="assessment_add"),
    path("persons/<int:pk>/startup/", views_work.startup_create, name="startup_create"),
    path("persons/<int:pk>/placement/", views_work.placement_create, name="placement_create"),
    path("status/<int:pk>/void/", views.status_void, name="status_void"),
    path("assessments/<int:pk>/void/", views.assessment_void, name="assessment_void"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:pk>/enrolments.xlsx", views.enrolment_export, name="enrolment_export"),
    path("enrolments/<int:pk>/attendance/", views.enrolment_attendance, name="enrolment_attendance"),
    path("enrolments/<int:pk>/complete/", views.enrolment_complete, name="enrolment_complete"),
    path("enrolments/<int:pk>/void/", views.enrolment_void, name="enrolment_void"),
    path("startups/", views_work.startup_list, name="startup_list"),
    path("startups/export.xlsx", views_work.startup_export, name="startup_export"),
    path("startups/<int:pk>/", views_work.startup_detail, name="startup_detail"),
    path("startups/<int:pk>/review/", views_work.startup_review, name="startup_review"),
    path("startups/<int:pk>/followup/", views_work.followup_add, name="followup_add"),
    path("startups/<int:pk>/void/", views_work.startup_void, name="startup_void"),
    path("employers/", views_work.employer_list, name="employer_list"),
    path("employers/new/", views_work.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views_work.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/vacancy/", views_work.vacancy_add, name="vacancy_add"),
    path("employers/<int:pk>/quota/", views_work.quota_save, name="quota_save"),
    path("placements/", views_work.placement_list, name="placement_list"),
    path("placements/export.xlsx", views_work.placement_export, name="placement_export"),
    path("placements/<int:pk>/end/", views_work.placement_end, name="placement_end"),
    path("placements/<int:pk>/void/", views_work.placement_void, name="placement_void"),
    path("partner/", views_work.partner, name="partner"),
    path("partner/placement/", views_work.partner_placement_add, name="partner_placement_add"),
    path("partner/device/", views_work.partner_device_add, name="partner_device_add"),
    path("partner/export.xlsx", views_work.partner_export, name="partner_export"),
    path("import/", include(import_urls(EnrolmentImporter, "enrolments"))),
]
