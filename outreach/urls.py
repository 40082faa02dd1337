from django.urls import include, path

from canlian.import_views import import_urls
from outreach import views, views_campaigns, views_homeservices, views_legal, views_psych, views_watch
from outreach.imports import DeliveryImporter, VisitImporter

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
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/start/", views_campaigns.campaign_start, name="campaign_start"),
    path("campaigns/<int:pk>/add-targets/", views_campaigns.campaign_targets_add, name="campaign_targets_add"),
    path("campaigns/<int:pk>/deliver/", views_campaigns.delivery_entry, name="delivery_entry"),
    path("deliveries/<int:pk>/void/", views_campaigns.delivery_void, name="delivery_void"),
    path("campaigns/<int:pk>/remaining.xlsx", views_campaigns.remaining_export, name="remaining_export"),
    path("import/", include(import_urls(DeliveryImporter, "deliveries"))),
    path("watch/", views_watch.watch_list, name="watch_list"),
    path("watch/export.xlsx", views_watch.watch_export, name="watch_export"),
    path("persons/<int:pk>/contacts/new/", views_watch.contact_create, name="contact_create"),
    path("contacts/<int:pk>/void/", views_watch.contact_void, name="contact_void"),
    path("persons/<int:pk>/watch-worker/", views_watch.watch_assign, name="watch_assign"),
    path("legal/", views_legal.case_list, name="case_list"),
    path("legal/<int:pk>/", views_legal.case_detail, name="case_detail"),
    path("legal/<int:pk>/steps/", views_legal.case_step, name="case_step"),
    path("legal/<int:pk>/close/", views_legal.case_close, name="case_close"),
    path("persons/<int:pk>/legal/new/", views_legal.case_create, name="case_create"),
    path("lectures/", views_legal.lecture_list, name="lecture_list"),
    path("lectures/new/", views_legal.lecture_create, name="lecture_create"),
    path("services/", views_homeservices.service_list, name="service_list"),
    path("services/export.xlsx", views_homeservices.service_export, name="service_export"),
    path("services/<int:pk>/", views_homeservices.service_detail, name="service_detail"),
    path("services/<int:pk>/assign/", views_homeservices.service_assign, name="service_assign"),
    path("services/<int:pk>/done/", views_homeservices.service_done, name="service_done"),
    path("services/<int:pk>/feedback/", views_homeservices.service_feedback, name="service_feedback"),
    path("services/<int:pk>/void/", views_homeservices.service_void, name="service_void"),
    path("persons/<int:pk>/services/new/", views_homeservices.service_create, name="service_create"),
    path("psych/", views_psych.psych_list, name="psych_list"),
    path("psych/new/", views_psych.psych_create_other, name="psych_create_other"),
    path("psych/<int:pk>/", views_psych.psych_detail, name="psych_detail"),
    path("psych/<int:pk>/sessions/", views_psych.psych_session, name="psych_session"),
    path("psych/<int:pk>/close/", views_psych.psych_close, name="psych_close"),
    path("psych/<int:pk>/void/", views_psych.psych_void, name="psych_void"),
    path("persons/<int:pk>/psych/new/", views_psych.psych_create, name="psych_create"),
]
