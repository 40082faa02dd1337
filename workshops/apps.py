from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "辅助性就业车间"

    def ready(self) -> None:
        from canlian.audit import actions_register
        from canlian.scoping import register_scope_provider
        from registry.signals import persons_moved
        from workshops.scoping import workshop_provider
        from workshops.services import persons_moved_follow

        # A workshop's staff see its members and rows (canlian.scoping).
        register_scope_provider(workshop_provider)
        persons_moved.connect(persons_moved_follow, dispatch_uid="workshops.persons_moved_follow")
        actions_register(
            {
                "workshops.membership.voided": "作废车间成员登记",
                "workshops.membership.ended": "办理离开车间",
                "workshops.month.corrected": "更正车间月报",
                "workshops.product.restocked": "车间产品入库",
                "workshops.sale.voided": "作废车间销售记录",
                "workshops.export": "导出车间月报",
                "workshops.import": "导入车间月报",
                "workshops.import.refused": "导入车间月报：文件被拒绝",
                "workshops.import.failed": "导入车间月报失败",
            }
        )
