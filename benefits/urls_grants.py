"""Pages of the other grants, under /benefits/grants/ (names "benefits:grant_<name>")."""

from django.urls import path

from benefits import views_grants as views

urlpatterns = [
    path("", views.grant_list, name="grant_list"),
    path("batches/", views.grant_batches, name="grant_batches"),
    path("batches/<int:pk>/approve/", views.grant_batch_approve, name="grant_batch_approve"),
    path("vehicles/", views.grant_vehicles, name="grant_vehicles"),
    path("vehicles/<int:pk>/retire/", views.grant_vehicle_retire, name="grant_vehicle_retire"),
    path("fuel/", views.grant_fuel, name="grant_fuel"),
    path("education/", views.grant_education, name="grant_education"),
    path("enrolment/<slug:code>/", views.grant_enrolment, name="grant_enrolment"),
    path("enrolment/<slug:code>/export.xlsx", views.grant_enrolment_export, name="grant_enrolment_export"),
    path("projects/", views.grant_projects, name="grant_projects"),
    path("projects/new/<int:application_pk>/", views.grant_project_create, name="grant_project_create"),
    path("projects/<int:pk>/advance/", views.grant_project_advance, name="grant_project_advance"),
]
