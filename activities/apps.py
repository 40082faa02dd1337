from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "文体活动与专门协会"

    def ready(self) -> None:
        from activities.scoping import district_wide_activities
        from canlian.audit import actions_register
        from canlian.scoping import register_scope_provider

        register_scope_provider(district_wide_activities)
        actions_register(
            {
                "activities.participation.voided": "作废活动参加记录",
                "activities.fiveone.voided": "作废“五个一”记录",
                "activities.membership.voided": "作废协会会员记录",
                "activities.membership.ended": "登记协会会员离会",
                "activities.export": "导出活动、参加人员或“五个一”名单",
                "activities.import": "导入活动参加人员",
                "activities.import.refused": "导入活动参加人员：文件被拒绝",
                "activities.import.failed": "导入活动参加人员失败",
            }
        )
