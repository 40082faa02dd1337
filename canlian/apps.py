from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The shared mechanisms; listed last, so every app is ready when it reads their
    declarations."""

    name = "canlian"
    verbose_name = "平台"

    def ready(self) -> None:
        from canlian.declarations import autodiscover

        autodiscover()
