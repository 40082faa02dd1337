from django.urls import include, path

from canlian.import_views import import_urls
from rehab import views
from rehab.imports import NeedAssessmentImporter, ServiceRecordImporter

app_name = "rehab"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("records/", views.record_list, name="record_list"),
    path("records/export.xlsx", views.record_export, name="record_export"),
    path("records/<int:pk>/void/", views.record_void, name="record_void"),
    path("persons/<int:pk>/records/", views.record_create, name="record_create"),
    path("persons/<int:pk>/assessment/", views.assessment_save, name="assessment_save"),
    path("import/", include(import_urls(ServiceRecordImporter, "services"))),
    path("import/", include(import_urls(NeedAssessmentImporter, "assessments"))),
    path("children/", include("rehab.urls_children")),
]
