from django.urls import path

from registry import views, views_comparison, views_excel

app_name = "registry"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export.xlsx", views_excel.person_export, name="person_export"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("<int:pk>/event/", views.person_event, name="person_event"),
    path("import/", views_excel.import_start, name="import_start"),
    path("import/template.xlsx", views_excel.import_template, name="import_template"),
    path("import/<int:pk>/", views_excel.import_status, name="import_status"),
    path("import/<int:pk>/rejected.xlsx", views_excel.import_rejected, name="import_rejected"),
]

urlpatterns += [
    path("comparison/", views_comparison.comparison_start, name="comparison_start"),
    path("comparison/<int:pk>/", views_comparison.comparison_status, name="comparison_status"),
    path("comparison/<int:pk>/rejected.xlsx", views_comparison.comparison_rejected, name="comparison_rejected"),
]
