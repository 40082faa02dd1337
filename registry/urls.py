from django.urls import include, path

from canlian.import_views import import_urls
from registry import views, views_changes, views_duplicates, views_excel, views_households
from registry.comparison import EventsImporter
from registry.household_imports import FamilyMemberImporter
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
    path("<int:pk>/household/", views_households.person_household_view, name="person_household"),
    path("<int:pk>/household/leave/", views_households.person_household_leave_view, name="person_household_leave"),
    path("households/", views_households.household_list_view, name="household_list"),
    path("households/new/", views_households.household_create_view, name="household_create"),
    path("households/<int:pk>/", views_households.household_detail_view, name="household_detail"),
    path("households/<int:pk>/reveal/", views_households.household_reveal_view, name="household_reveal"),
    path("households/<int:pk>/family/", views_households.family_member_add_view, name="family_member_add"),
    path(
        "households/<int:pk>/family/<int:member>/",
        views_households.family_member_edit_view,
        name="family_member_edit",
    ),
    path("households/<int:pk>/economic/", views_households.household_economic_view, name="household_economic"),
    path("households/import/", include(import_urls(FamilyMemberImporter, "family", folder="", jobs="jobs/"))),
    # The upload pages keep their addresses; a job's pages are under jobs/ (their numbers
    # are canlian.Job's, not those of the ImportJob the pages once showed).
    path("import/", include(import_urls(PersonImporter, "persons", folder="", jobs="jobs/"))),
    path("comparison/", include(import_urls(EventsImporter, "comparison", folder="", jobs="jobs/"))),
]
