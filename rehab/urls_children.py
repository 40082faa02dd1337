"""The child rehabilitation assistance pages (残疾儿童康复救助), under rehab/children/."""

from django.urls import path

from rehab import views_children as views

urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("new/", views.child_create, name="child_create"),
    path("<int:pk>/", views.child_detail, name="child_detail"),
    path("<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("<int:pk>/link/", views.child_link, name="child_link"),
    path("<int:pk>/assessment/", views.child_assess, name="child_assess"),
    path("<int:pk>/apply/", views.child_apply, name="child_apply"),
    path("applications/", views.application_list, name="child_application_list"),
    path("applications/export.xlsx", views.application_export, name="child_application_export"),
    path("applications/<int:pk>/", views.application_detail, name="child_application_detail"),
    path("applications/<int:pk>/decide/", views.application_decide, name="child_application_decide"),
    path("applications/<int:pk>/place/", views.application_place, name="child_application_place"),
    path("applications/<int:pk>/close/", views.application_close, name="child_application_close"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="child_application_withdraw"),
    path("applications/<int:pk>/records/", views.record_create, name="child_record_create"),
    path("records/<int:pk>/void/", views.record_void, name="child_record_void"),
]
