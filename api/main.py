"""The JSON API (django-ninja): `api` below, mounted at /api/ with its docs at /api/docs."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from ninja import NinjaAPI

from api import benefits, indicators, persons, records
from api.auth import TokenAuth
from api.errors import STATUS_CODES, exception_handlers_install

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "机器可读的错误代码"},
        "message": {"type": "string", "description": "中文说明"},
        "details": {"description": "逐项说明（可选）"},
    },
    "required": ["code", "message"],
}


class CanlianAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema with the JSON error of every status a route may refuse with, so that
        a client (and schemathesis) knows every answer's shape."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for item in schema["paths"].values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for status in (*STATUS_CODES, 422):
                    if status in (405,):
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": STATUS_CODES.get(status, ("", "请求参数格式有误"))[1],
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    )
        return schema


api = CanlianAPI(
    title="残联服务管理平台 数据接口",
    version="1",
    description=(
        "以接口令牌（Authorization: Bearer …）调用，令牌在“接口令牌”页面创建。令牌拥有其用户的角色和管辖范围："
        "管辖范围外的记录答复 404；证件号、电话、银行账号默认脱敏，"
        "有权限的用户以 reveal=1 逐人查看完整信息，每次查看均记入审计日志。"
        "列表按游标分页（next_cursor）。错误答复为 JSON：code（机器可读）与 message（中文说明）。"
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    # The docs and the schema are read by signed-in staff; the bundled Swagger UI (ninja's
    # static files) loads nothing from outside, as the intranet has no internet.
    docs_decorator=login_required,
)
exception_handlers_install(api)
api.add_router("", persons.router)
api.add_router("", benefits.router)
api.add_router("", indicators.router)
api.add_router("", records.router)


def _json_not_allowed(view):
    """ninja answers a method a route does not take with a plain-text 405: JSON here."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            code, message = STATUS_CODES[405]
            response = JsonResponse(
                {"code": code, "message": message}, status=405, json_dumps_params={"ensure_ascii": False}
            )
            response["Allow"] = allowed
        return response

    return wrapped


def api_urls():
    """`api.urls`, each route's view answering a wrong method in JSON."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name not in ("openapi-json", "openapi-view"):
            pattern.callback = _json_not_allowed(pattern.callback)
    return patterns, app_name, namespace
