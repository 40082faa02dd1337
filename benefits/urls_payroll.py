"""Payroll and eligibility pages, under /benefits/payroll/ (names "benefits:<name>")."""

from django.urls import path

from benefits import views_eligibility, views_payroll

urlpatterns = [
    path("", views_payroll.batch_list, name="batch_list"),
    path("generate/", views_payroll.batch_generate, name="batch_generate"),
    path("runs/<int:pk>/", views_payroll.run_status, name="run_status"),
    path("<int:pk>/", views_payroll.batch_detail, name="batch_detail"),
    path("<int:pk>/approve/", views_payroll.batch_approve, name="batch_approve"),
    path("<int:pk>/bank-file/", views_payroll.batch_export, name="batch_export"),
    path("<int:pk>/summary/", views_payroll.batch_summary, name="batch_summary"),
    path("eligibility/", views_eligibility.eligibility, name="eligibility"),
    path("eligibility/export/", views_eligibility.eligibility_export, name="eligibility_export"),
]
