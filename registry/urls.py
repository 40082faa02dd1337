from django.urls import include, path

from canlian.import_views import import_urls
from registry import views, views_changes, views_duplicates, views_excel
from registry.comparison import EventsImporter
from registry.imports import PersonImporter

app_name = "registry"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export.xlsx", views_excel.person_export, name="person_export"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("<int:pk>/event/", views.person_event, name="person_event"),
    # Change requests (变更申请) of the key fields: registry.changes.
    path("<int:pk>/changes/<str:field>/new/", views_changes.change_request_create, name="change_request_create"),
    path("changes/", views_changes.change_request_list, name="change_request_list"),
    path("changes/<int:pk>/", views_changes.change_request_detail, name="change_request_detail"),
    path("changes/<int:pk>/evidence/", views_changes.change_request_evidence, name="change_request_evidence"),
    path("changes/<int:pk>/reveal/", views_changes.change_request_reveal, name="change_request_reveal"),
    path("changes/<int:pk>/decide/", views_changes.change_request_decide, name="change_request_decide"),
    path("duplicates/", views_duplicates.duplicate_list, name="duplicate_list"),
    path("duplicates/check/", views_duplicates.duplicate_check, name="duplicate_check"),
    path("duplicates/jobs/<int:pk>/", views_duplicates.duplicate_job, name="duplicate_job"),
    path("duplicates/<int:pk>/", views_duplicates.duplicate_compare, name="duplicate_compare"),
    path("duplicates/<int:pk>/merge/", views_duplicates.duplicate_merge, name="duplicate_merge"),
    path("duplicates/<int:pk>/dismiss/", views_duplicates.duplicate_dismiss, name="duplicate_dismiss"),
    # The upload pages keep their addresses; a job's pages are under jobs/ (their numbers
    # are canlian.Job's, not those of the ImportJob the pages once showed).
    path("import/", include(import_urls(PersonImporter, "persons", folder="", jobs="jobs/"))),
    path("comparison/", include(import_urls(EventsImporter, "comparison", folder="", jobs="jobs/"))),
]
