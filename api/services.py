"""Creating, revoking and checking API tokens. Each change is audited."""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from api.models import ApiToken
from canlian.audit import audit_write

# A token reads 8 random digits, "_" and 43 URL-safe characters (32 random bytes): the
# digits, kept in clear, let its owner tell it apart (they are shown on the token page,
# where a code of digits reads as a number, not as words of another language); the
# 32 bytes are the secret.
TOKEN_FORMAT = re.compile(r"[0-9]{8}_[A-Za-z0-9_-]{43}")
# A token's use is written at most this often: one UPDATE per request would be a write per
# read, and "last used" to the minute is what its owner needs to judge a token.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of `user`, valid for `days`. Returns the token and its secret, which is
    shown this once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写令牌用途")
    if len(name) > 60:
        raise ValidationError("令牌用途不能超过 60 个字")
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(f"有效天数应为 1–{settings.API_TOKEN_MAX_DAYS} 天")
    if ApiToken.objects.filter(user=user).usable().count() >= settings.API_TOKENS_PER_USER:
        raise ValidationError(f"每位用户最多 {settings.API_TOKENS_PER_USER} 个有效令牌，请先撤销不用的令牌")
    prefix = f"{secrets.randbelow(10**8):08d}"
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=token_digest(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_write(action="api.token.created", user=user, obj=token, data={"name": name, "days": days})
    return token, secret


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (another user's answers 404, as a missing one)."""
    from django.shortcuts import get_object_or_404

    token = get_object_or_404(ApiToken.objects.select_for_update().filter(user=user), pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_write(action="api.token.revoked", user=user, obj=token, data={"name": token.name})
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The usable token of `secret` with its user (active), or None; notes its use."""
    if not secret or not TOKEN_FORMAT.fullmatch(secret):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.usable(now)
        .select_related("user", "user__area")
        .filter(digest=token_digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User):
    return ApiToken.objects.filter(user=user)
