from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import LoginForm
from api import views as api_views
from api.main import api_urls
from canlian import views

admin.site.site_header = "残联服务管理平台 · 系统管理"
admin.site.site_title = "残联服务管理平台"

urlpatterns = [
    path("", views.home, name="home"),
    path("centre/", views.centre_home, name="centre_home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("persons/", include("registry.urls")),
    path("benefits/", include("benefits.urls")),
    path("rehab/", include("rehab.urls")),
    path("activities/", include("activities.urls")),
    path("outreach/", include("outreach.urls")),
    path("care/", include("care.urls")),
    path("workshops/", include("workshops.urls")),
    path("employment/", include("employment.urls")),
    path("targets/", include("targets.urls")),
    path("work/", include("canlian.worklist_urls")),
    path("audit/", include("canlian.audit_urls")),
    path("exports/", include("canlian.export_urls")),
    path("tokens/", include("api.urls")),
    path("api/", api_urls()),
    path("api/<path:rest>", api_views.api_not_found),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
