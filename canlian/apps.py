from django.apps import AppConfig, apps

# The verbose names of the third-party apps the admin lists (an AppConfig's, which no
# migration records), by app label.
THIRD_PARTY_APP_NAMES = {"axes": "登录限制", "django_tasks_database": "后台任务队列"}


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
        # The third-party apps' names in the admin (their models' are in locale/).
        for label, name in THIRD_PARTY_APP_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
