from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("towns/<str:code>/", views.town, name="town"),
    path("centres/<int:pk>/", views.centre, name="centre"),
    path("<str:key>/records/", views.records, name="records"),
    path("map/", views.map_page, name="map"),
    path("export.xlsx", views.export, name="export"),
    path("report/", views.report_page, name="report"),
    path("report.xlsx", views.report_export, name="report_export"),
    path("refresh/", views.refresh, name="refresh"),
    path("targets/", views.targets_edit, name="targets_edit"),
    path("targets/split/", views.targets_split_view, name="targets_split"),
]
