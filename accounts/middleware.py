import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# The API authenticates each request by its token (api.auth) and answers 401 in JSON.
PUBLIC_PREFIXES = ("/login/", "/static/", "/api/")
# When the session last moved its expiry on (seconds since the epoch).
SEEN_KEY = "_canlian_seen"


class LoginRequiredMiddleware:
    """Every page needs a signed-in user except the login page and static files: the
    data here is personal, so the safe default is closed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class SessionIdleMiddleware:
    """Moves a signed-in session's expiry on, at most once every SESSION_RENEW_SECONDS: the
    idle timeout (SESSION_COOKIE_AGE) then counts from a request no more than that long
    before the last one, and the session row is not written again by every request
    (Django's SESSION_SAVE_EVERY_REQUEST: three more statements on each page and fragment).
    Listed after SessionMiddleware, so the session is saved after this marks it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        renew_after = time.time() - settings.SESSION_RENEW_SECONDS
        passive = getattr(request, "session_passive", False)  # a poll that found nothing new
        if session is not None and not passive and not session.is_empty() and session.get(SEEN_KEY, 0) <= renew_after:
            session_seen(request=request)
        return response


def session_seen(request, **kwargs) -> None:
    """Marks the session seen now, which saves it with a new expiry; also `user_logged_in`'s
    receiver (the sign-in saved the session anyway)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
