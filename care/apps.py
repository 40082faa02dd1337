from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "care"
    verbose_name = "托养服务"

    def ready(self) -> None:
        import care.benefit_rule  # noqa: F401 - registers the placement subsidy's rule
        from canlian.audit import actions_register
        from canlian.scoping import register_scope_provider
        from care.scoping import centre_provider
        from care.services.membership import persons_moved_follow
        from registry.signals import persons_moved

        # Centre staff see their institutions' members and records (canlian.scoping).
        register_scope_provider(centre_provider)
        persons_moved.connect(persons_moved_follow, dispatch_uid="care.persons_moved_follow")
        actions_register(
            {
                "care.record.voided": "作废入托登记",
                "care.enrolment.overridden": "破格批准入托",
                "care.enrolment.ended": "办理离开托养机构",
                "care.waiting.offered": "轮候人员获得入托名额",
                "care.waiting.withdrawn": "撤回轮候登记",
                "care.attendance.corrected": "更正考勤",
                "care.export": "导出考勤表",
                "care.import": "导入托养机构或考勤",
                "care.check.recorded": "登记开放前检查",
                "care.drill.recorded": "登记应急演练",
                "care.placement.created": "登记托养安置",
                "care.placement.ended": "结束托养安置",
                "care.case.voided": "作废个案",
                "care.followup.voided": "作废个案随访",
                "care.placement.voided": "作废托养安置",
                "care.case.risk_changed": "调整个案风险等级",
                "care.case.closed": "个案结案",
                "care.watch.voided": "作废定位手表发放登记",
                "care.watch.returned": "定位手表归还",
                "care.watch.lost": "定位手表遗失",
            }
        )
