"""The work list (我的待办), under /work/: every kind, or one kind (names "worklist:<name>")."""

from django.urls import path

from canlian import worklist_views

app_name = "worklist"

urlpatterns = [
    path("", worklist_views.worklist, name="list"),
    path("<slug:kind>/", worklist_views.worklist, name="kind"),
]
