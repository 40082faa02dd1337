from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = "就业创业"

    def ready(self) -> None:
        import employment.benefit_rule  # noqa: F401 - registers the start-up grant's rule
        from canlian.audit import actions_register

        actions_register(
            {
                "employment.record.voided": "作废就业状态登记",
                "employment.assessment.voided": "作废职业能力评估",
                "employment.courseenrolment.voided": "作废培训报名",
                "employment.courseenrolment.completed": "登记培训结业",
                "employment.startupsupport.voided": "作废创业扶持申请",
                "employment.startupsupport.reviewed": "审核创业扶持申请",
                "employment.startupfollowup.voided": "作废创业扶持回访",
                "employment.jobplacement.voided": "作废就业安置",
                "employment.jobplacement.ended": "登记就业安置结束",
                "employment.quota.saved": "登记按比例就业情况",
                "employment.partner.recorded": "登记粤桂协作记录",
                "employment.export": "导出就业创业名单",
                "employment.import": "导入培训报名",
                "employment.import.refused": "导入培训报名：文件被拒绝",
                "employment.import.failed": "导入培训报名失败",
            }
        )
