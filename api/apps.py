from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "数据接口"

    def ready(self) -> None:
        from canlian.audit import actions_register

        actions_register(
            {
                "api.token.created": "创建接口令牌",
                "api.token.revoked": "撤销接口令牌",
            }
        )
