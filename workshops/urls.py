from django.urls import include, path

from canlian.import_views import import_urls
from workshops import views
from workshops.imports import WorkMonthImporter

app_name = "workshops"

urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("months/", views.month_start, name="month_start"),
    path("<int:pk>/month/", views.month_entry, name="month_entry"),
    path("<int:pk>/month.xlsx", views.month_export, name="month_export"),
    path("<int:pk>/totals/", views.month_totals, name="month_totals"),
    path("<int:pk>/sales/", views.sales, name="sales"),
    path("products/<int:pk>/restock/", views.restock, name="restock"),
    path("sales/<int:pk>/void/", views.sale_void, name="sale_void"),
    path("persons/<int:pk>/join/", views.join, name="join"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("memberships/<int:pk>/void/", views.membership_void, name="membership_void"),
    path("import/", include(import_urls(WorkMonthImporter, "months"))),
]
