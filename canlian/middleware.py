"""What a page shows when an export is refused: for its length, or for its filter."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from canlian.exporting import ExportRefused
from canlian.idcard import policy_with_reader
from canlian.workbooks import TooManyRows


class ExportRefusedMiddleware:
    """An export whose list is longer than a worksheet holds (`TooManyRows`) sends the user
    back to the page they came from, with the reason, rather than a file cut short; one
    whose filter cannot be taken (`ExportRefused`, raised while its exporter is built)
    sends them to the list page the exporter names, with the reason. Nothing is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ExportRefused):
            messages.error(request, str(exception))
            return redirect(exception.url)
        if not isinstance(exception, TooManyRows):
            return None
        messages.error(request, str(exception))
        back = request.META.get("HTTP_REFERER", "")
        hosts = {request.get_host()}
        safe = back and url_has_allowed_host_and_scheme(back, allowed_hosts=hosts, require_https=request.is_secure())
        return redirect(back if safe else "/")


class NoStoreMiddleware:
    """Every page and file for a signed-in user holds personal data (names, ID numbers,
    bank accounts) or figures drawn from it, so none is kept by the browser or a proxy
    (`Cache-Control: no-store`, private): a shared office computer's history or disk cache
    must not give the next person the last one's lists and exports. Static files are
    cached as ever."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response


class ContentSecurityPolicyMiddleware:
    """Sends `settings.CONTENT_SECURITY_POLICY` (directive -> sources) on every response, as
    `Content-Security-Policy`, or `...-Report-Only` with CSP_REPORT_ONLY. Django 5.2 has no
    CSP of its own (6.0 will) and the project's policy is one fixed header, so a few lines
    rather than a dependency. The policy allows scripts and styles from the site's files
    only: no inline script, handler or style attribute (tests: test_templates_csp)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"

    @staticmethod
    def value() -> str:
        """The policy, with the ID-card reader's local service, when configured, as the one
        other origin the browser may connect to (canlian.idcard). Read per response (a few
        microseconds), so a setting changed at run time (a test's) is what is sent."""
        policy = policy_with_reader(settings.CONTENT_SECURITY_POLICY, settings.IDCARD_READER)
        return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(self.header, self.value())
        return response
