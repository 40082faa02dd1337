"""Benefits pages. Each feature has its own URL module so they can grow apart."""

from django.urls import include, path

app_name = "benefits"

urlpatterns = [
    path("applications/", include("benefits.urls_applications")),
    path("payroll/", include("benefits.urls_payroll")),
    path("grants/", include("benefits.urls_grants")),
]
