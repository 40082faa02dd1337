from django.urls import path

from benefits import views_applications as views

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_create, name="application_create"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/town-review/", views.application_town_review, name="application_town_review"),
    path("<int:pk>/end-notice/", views.application_end_notice, name="application_end_notice"),
    path("<int:pk>/decide/", views.application_decide, name="application_decide"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="application_attachment",
    ),
    path("awards/<int:pk>/end/", views.award_end, name="award_end"),
]
