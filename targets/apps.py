from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "目标与指标"

    def ready(self) -> None:
        from canlian.signals import records_changed
        from targets.services import records_changed_refresh

        records_changed.connect(records_changed_refresh, dispatch_uid="targets.records_changed_refresh")
