from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = "社会保障与补贴"

    def ready(self) -> None:
        from benefits.services import persons_moved_follow
        from canlian.audit import actions_register
        from registry.signals import persons_moved

        persons_moved.connect(persons_moved_follow, dispatch_uid="benefits.persons_moved_follow")
        actions_register(
            {
                "benefits.batch.generated": "生成发放批次",
                "benefits.batch.approved": "审核发放批次",
                "benefits.batch.exported": "发放批次导出银行文件",
                "benefits.award.ended": "终止享受资格",
                "benefits.vehicle.registered": "登记机动轮椅车",
                "benefits.vehicle.retired": "注销机动轮椅车",
                "benefits.project.created": "登记资助项目",
                "benefits.project.advanced": "资助项目进入下一步",
                "benefits.export": "导出补贴名单或银行文件",
                "benefits.import": "导入享受资格",
                "benefits.import.refused": "导入享受资格：文件被拒绝",
                "benefits.import.failed": "导入享受资格失败",
            }
        )
