"""Login throttling on two counts: per user name across addresses, per address across
user names.

django-axes counts failures per lockout parameter (`AXES_LOCKOUT_PARAMETERS`: the user
name, the address) but holds them all to one limit. A town office's staff sign in from one
address behind its NAT, so the address gets a higher limit of its own
(`AXES_IP_FAILURE_LIMIT`); a success clears only the user name's failures, so an attacker
who knows one account cannot wipe the failures their spraying left on the address.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures that count against the login: the user name's own, or the limit
        itself once the address reached its limit."""
        by_username, by_address = self.get_user_attempts(request, credentials)
        username_failures = _total(by_username)
        if _total(by_address) >= settings.AXES_IP_FAILURE_LIMIT:
            return max(username_failures, get_failure_limit(request, credentials))
        return username_failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def _total(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
