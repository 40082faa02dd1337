"""The JSON API (django-ninja): `api` below, mounted at /api/ with its docs at /api/docs."""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI

from api import benefits, indicators, persons, records
from api.auth import TokenAuth
from api.errors import exception_handlers_install

api = NinjaAPI(
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
