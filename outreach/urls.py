from django.urls import include, path

from canlian.import_views import import_urls
from outreach import views
from outreach.imports import VisitImporter

app_name = "outreach"

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/void/", views.visit_void, name="visit_void"),
    path("persons/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/<int:pk>/close/", views.need_close, name="need_close"),
    path("import/", include(import_urls(VisitImporter, "visits"))),
]
