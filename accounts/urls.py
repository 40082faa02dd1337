from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("security/", views.security_settings, name="security"),
]
