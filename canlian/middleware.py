"""What a page shows when an export is refused: for its length, or for its filter."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from canlian.exporting import ExportRefused
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
