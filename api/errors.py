"""The API's errors: JSON with a machine code and a Chinese message, never a traceback.

Every refusal the services raise has its answer here, so an endpoint only calls them:
`Http404` (and `OutOfScope`, its subclass: outside the scope answers as missing),
`PermissionDenied`, Django's `ValidationError` (the services' and forms' Chinese reasons),
ninja's request validation, and anything else as a 500 whose traceback goes to the log
only. The body is `{"code": ..., "message": ..., "details": ...}` (details optional)."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from canlian.errors import error_text

logger = logging.getLogger("django.request")


class ApiError(Exception):
    """A refusal with its status, machine code and Chinese message."""

    def __init__(self, status: int, code: str, message: str, details=None, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}


def invalid(message: str, details=None) -> ApiError:
    return ApiError(400, "invalid", message, details)


def form_errors(form) -> ApiError:
    """A bound form's errors, field by field (Chinese, as the page shows them)."""
    details = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return invalid("；".join(f"{m}" for messages in details.values() for m in messages) or "请求参数有误", details)


STATUS_CODES = {
    400: ("invalid", "请求参数有误"),
    401: ("unauthorized", "未提供有效的接口令牌，或令牌已过期、已撤销"),
    403: ("forbidden", "您没有此项操作的权限"),
    404: ("not_found", "未找到该记录"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "请求内容过大"),
    429: ("rate_limited", "请求过于频繁，请稍后再试"),
    500: ("server_error", "服务器内部错误，请稍后再试或联系系统管理员"),
}


def _body(status: int, code: str | None = None, message: str | None = None, details=None) -> dict:
    default_code, default_message = STATUS_CODES.get(status, ("error", "请求未能完成"))
    body = {"code": code or default_code, "message": message or default_message}
    if details is not None:
        body["details"] = details
    return body


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def exception_handlers_install(api) -> None:
    def answer(request, status: int, body: dict, headers: dict | None = None):
        response = api.create_response(request, body, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return answer(request, exc.status, _body(exc.status, exc.code, exc.message, exc.details), exc.headers)

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request, exc):
        return answer(request, 401, _body(401), {"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return answer(request, 404, _body(404))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        text = str(exc)
        return answer(request, 403, _body(403, message=text if _chinese(text) else None))

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        return answer(request, 400, _body(400, message=error_text(exc)))

    @api.exception_handler(RequestValidationError)
    def _request_invalid(request, exc):
        details = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors]
        return answer(request, 422, _body(422, "invalid_request", "请求参数格式有误", details))

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return answer(request, exc.status_code, _body(exc.status_code))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        return answer(request, 413, _body(413))

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request, exc):
        return answer(request, 400, _body(400))

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        # The traceback is for the log; the caller learns only that it failed.
        logger.error("API error: %s", request.path, exc_info=exc)
        return answer(request, 500, _body(500))
