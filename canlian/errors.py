"""What a page shows of a refused action, and of a missing page or an error."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views import defaults

logger = logging.getLogger("django.request")


def error_text(exc: Exception) -> str:
    """The Chinese reasons of a ValidationError or PermissionDenied, joined for one line."""
    return "；".join(getattr(exc, "messages", None) or [str(exc)]) or "操作未能完成"


class ProjectErrorPagesMiddleware:
    """The project's own 404 and 500 pages (Chinese, with the navigation), DEBUG or not.
    Under DEBUG Django answers with its technical pages instead, in English and showing the
    settings and the code; the demo runs with DEBUG, and its users are the ones who must not
    see them. The traceback of an error still goes to the console log. Refusals (403) need
    nothing here: Django renders the project's 403 page under DEBUG too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An address that matched no URL pattern: the resolver's 404, drawn by Django's
        # technical page under DEBUG before any view ran.
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or isinstance(exception, PermissionDenied):
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return defaults.server_error(request)
