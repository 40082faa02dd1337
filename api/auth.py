"""Who calls: a bearer token (api.models.ApiToken), its user the request's user.

Before the token is looked up the request's size is checked (`API_MAX_BODY_BYTES`, from
the Content-Length header, before the body is read); once it is found, its rate
(`API_RATE_PER_MINUTE` requests a minute per token, counted in the cache in windows of a
minute). Both refusals are JSON (api.errors)."""

import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer

from api.errors import ApiError
from api.services import token_authenticate

WINDOW_SECONDS = 60


def body_size_check(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.API_MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"请求内容不能超过 {settings.API_MAX_BODY_BYTES // 1024} KB")


def rate_check(token_id: int) -> None:
    """A fixed window per token: the count of this minute, in the cache shared by the
    processes that share it (LocMem in one process; a shared cache for several workers)."""
    window = int(time.time()) // WINDOW_SECONDS
    key = f"api-rate:{token_id}:{window}"
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, WINDOW_SECONDS * 2)
        count = 1
    if count > settings.API_RATE_PER_MINUTE:
        wait = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
        raise ApiError(
            429,
            "rate_limited",
            f"请求过于频繁：每个令牌每分钟最多 {settings.API_RATE_PER_MINUTE} 次，请 {wait} 秒后再试",
            headers={"Retry-After": str(wait)},
        )


class TokenAuth(HttpBearer):
    def __call__(self, request):
        body_size_check(request)
        # Read here rather than by HttpBearer, which logs a malformed header (a secret,
        # perhaps) under DEBUG.
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret:
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token: str):
        found = token_authenticate(token)
        if found is None:
            return None
        rate_check(found.pk)
        # The token acts as its user: every selector and service below reads request.user.
        request.user = found.user
        request.api_token = found
        return found
