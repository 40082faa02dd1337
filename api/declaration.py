"""What the api app contributes: the token page in the navigation, and its URLs for the
scope walk. (The API's own routes are walked with tokens: canlian/tests/test_scope_walk.py.)"""

from api.models import ApiToken
from canlian.declarations import AppDeclaration, NavEntry, ScopedUrl


def _revoke_urls(world):
    from django.urls import reverse

    from api.services import token_create

    urls = []
    for key in ("officer", "other_officer"):
        token, _ = token_create(user=world.users[key], name="走查", days=30)
        urls.append(reverse("api_tokens:revoke", args=[token.pk]))
    return tuple(urls)


declaration = AppDeclaration(
    nav=(NavEntry("api_tokens:list", "接口令牌", None, 200),),
    # The keyset's SQLite form (the OR of comparisons) and the person reads of the demo.
    sqlite_tests=("tests/test_keyset.py", "tests/test_persons_read.py"),
    urls={
        "api_tokens:list": ScopedUrl(None),
        # A token is its owner's: anyone else's answers 404, as a missing one.
        "api_tokens:revoke": ScopedUrl(
            None,
            _revoke_urls,
            scope="owner",
            method="POST",
            ok=302,
            written=lambda: ApiToken.objects.filter(revoked_at__isnull=False).count(),
        ),
    },
)
