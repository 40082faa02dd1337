from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "精准康复服务"

    def ready(self) -> None:
        from canlian.audit import actions_register
        from registry.signals import persons_moved
        from rehab.services import persons_moved_follow

        persons_moved.connect(persons_moved_follow, dispatch_uid="rehab.persons_moved_follow")
        actions_register(
            {
                "rehab.record.voided": "作废康复服务记录",
                "rehab.export": "导出康复服务记录",
                "rehab.import": "导入康复服务记录或需求评估",
                "rehab.import.refused": "导入康复服务记录或需求评估：文件被拒绝",
                "rehab.import.failed": "导入康复服务记录或需求评估失败",
            }
        )
