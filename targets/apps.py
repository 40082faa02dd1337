from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "目标与指标"

    def ready(self) -> None:
        from canlian.audit import actions_register
        from canlian.signals import records_changed
        from targets.services import records_changed_refresh

        records_changed.connect(records_changed_refresh, dispatch_uid="targets.records_changed_refresh")
        actions_register({"targets.target.changed": "修改年度目标", "targets.export": "导出指标"})
