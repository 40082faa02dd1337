from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The shared mechanisms every app uses: the audit log, the background jobs and the
    apps' declarations (listed last, so every app is ready when they are read)."""

    name = "canlian"
    verbose_name = "平台"

    def ready(self) -> None:
        from canlian.admin import identifiers_mask
        from canlian.audit import actions_register
        from canlian.declarations import autodiscover

        actions_register({"canlian.export": "导出审计日志"})
        autodiscover()
        # Every app's admin is registered by now (the admin's own `ready` ran first).
        identifiers_mask()
