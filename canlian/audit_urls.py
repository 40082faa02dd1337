from django.urls import path

from canlian import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.entry_list, name="entry_list"),
    path("export.xlsx", audit_views.entry_export, name="entry_export"),
]
