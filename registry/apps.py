from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "持证残疾人"

    def ready(self) -> None:
        from canlian.audit import actions_register
        from canlian.scoping import register_scope_provider
        from registry.household_selectors import household_provider

        register_scope_provider(household_provider)

        from registry.households import persons_moved_leave_households
        from registry.signals import persons_moved

        persons_moved.connect(persons_moved_leave_households, dispatch_uid="registry.persons_moved_leave_households")

        actions_register(
            {
                "registry.identifiers.revealed": "查看完整证件号",
                "registry.export": "导出持证残疾人名单",
                "registry.import": "导入持证残疾人或比对数据",
                "registry.import.refused": "导入持证残疾人或比对数据：文件被拒绝",
                "registry.import.failed": "导入持证残疾人或比对数据失败",
                "registry.change.requested": "提出变更申请",
                "registry.change.approved": "批准变更申请",
                "registry.change.rejected": "不予批准变更申请",
                "registry.duplicates.checked": "疑似重复检查",
                "registry.duplicates.dismissed": "标记为不是重复",
                "registry.persons.merged": "合并重复登记的人员",
                "registry.household.created": "建户",
                "registry.household.member_set": "人员加入户",
                "registry.household.member_left": "人员离开户",
                "registry.household.family_added": "登记家庭成员",
                "registry.household.family_changed": "修改家庭成员",
                "registry.household.economic_set": "设置户经济状况",
                "registry.family.import": "导入家庭成员",
            }
        )
