from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = "行政区划"

    def ready(self) -> None:
        from canlian.audit import actions_register

        actions_register(
            {
                "areas.import": "导入区划代码",
                "areas.import.refused": "导入区划代码：文件被拒绝",
                "areas.import.failed": "导入区划代码失败",
                "areas.boundaries": "导入区划边界",
            }
        )
