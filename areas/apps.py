from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = "行政区划"

    def ready(self) -> None:
        from canlian.audit import actions_register

        actions_register({"areas.import": "导入区划代码"})
