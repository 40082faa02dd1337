from django.urls import include, path

from activities import views, views_associations, views_five_ones
from activities.imports import ParticipantImporter
from canlian.import_views import import_urls

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("export.xlsx", views.activity_export, name="activity_export"),
    path("new/", views.activity_create, name="activity_create"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("<int:pk>/participants.xlsx", views.participant_export, name="participant_export"),
    path("participations/<int:pk>/void/", views.participation_void, name="participation_void"),
    path("five-ones/", views_five_ones.five_ones, name="five_ones"),
    path("five-ones/export.xlsx", views_five_ones.five_ones_export, name="five_ones_export"),
    path("five-ones/<int:pk>/void/", views_five_ones.five_one_void, name="five_one_void"),
    path("persons/<int:pk>/five-ones/", views_five_ones.five_one_create, name="five_one_create"),
    path("associations/", views_associations.association_list, name="association_list"),
    path("associations/<int:pk>/", views_associations.association_detail, name="association_detail"),
    path("associations/<int:pk>/members/", views_associations.member_add, name="member_add"),
    path("memberships/<int:pk>/end/", views_associations.membership_end, name="membership_end"),
    path("memberships/<int:pk>/void/", views_associations.membership_void, name="membership_void"),
    path("import/", include(import_urls(ParticipantImporter, "participants"))),
]
