from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# The API authenticates each request by its token (api.auth) and answers 401 in JSON.
PUBLIC_PREFIXES = ("/login/", "/static/", "/api/")


class LoginRequiredMiddleware:
    """Every page needs a signed-in user except the login page and static files: the
    data here is personal, so the safe default is closed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
