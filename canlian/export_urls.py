from django.urls import path

from canlian import export_jobs

app_name = "exports"

urlpatterns = [
    path("<int:pk>/", export_jobs.export_status, name="status"),
    path("<int:pk>/download/", export_jobs.export_download, name="download"),
]
