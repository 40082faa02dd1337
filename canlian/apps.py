from django.apps import AppConfig


class CanlianConfig(AppConfig):
    """What every app shares (the audit log today) lives in the project package itself."""

    name = "canlian"
    verbose_name = "平台"

    def ready(self) -> None:
        from canlian.audit import actions_register

        actions_register({"canlian.export": "导出审计日志"})
