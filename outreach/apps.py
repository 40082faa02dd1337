from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "慰问关爱"

    def ready(self) -> None:
        from canlian.audit import actions_register

        actions_register(
            {
                "outreach.record.voided": "作废走访记录",
                "outreach.visitneed.voided": "作废走访发现的需求",
                "outreach.need.closed": "办结走访发现的需求",
                "outreach.export": "导出慰问关爱名单",
                "outreach.import": "导入走访记录或发放记录",
            }
        )
