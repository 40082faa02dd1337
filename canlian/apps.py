from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The shared mechanisms every app uses: the audit log and the background jobs."""

    name = "canlian"
    verbose_name = "平台"

    def ready(self) -> None:
        from canlian.audit import actions_register

        actions_register({"canlian.export": "导出审计日志"})
