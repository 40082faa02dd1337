from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "精准康复服务"

    def ready(self) -> None:
        from canlian.audit import actions_register
        from canlian.signals import records_changed
        from registry.signals import persons_moved
        from rehab.services import persons_moved_follow
        from rehab.services_children import persons_moved_children, registry_changed_link

        persons_moved.connect(persons_moved_follow, dispatch_uid="rehab.persons_moved_follow")
        # Child rehabilitation assistance: a linked child moves with the person, and a
        # person registered or imported with a recorded child's ID number is linked to it.
        persons_moved.connect(persons_moved_children, dispatch_uid="rehab.persons_moved_children")
        records_changed.connect(registry_changed_link, dispatch_uid="rehab.registry_changed_link")
        actions_register(
            {
                "rehab.record.voided": "作废康复服务记录",
                "rehab.export": "导出康复服务记录或残疾儿童康复救助名单",
                "rehab.import": "导入康复服务记录或需求评估",
                "rehab.import.refused": "导入康复服务记录或需求评估：文件被拒绝",
                "rehab.import.failed": "导入康复服务记录或需求评估失败",
                "rehab.child.registered": "登记康复救助儿童",
                "rehab.child.linked": "康复救助儿童关联持证信息",
                "rehab.child_application.submitted": "受理残疾儿童康复救助申请",
                "rehab.child_application.approved": "批准残疾儿童康复救助申请",
                "rehab.child_application.rejected": "不予批准残疾儿童康复救助申请",
                "rehab.child_application.placed": "安置残疾儿童到定点机构",
                "rehab.child_application.closed": "残疾儿童康复救助结案",
                "rehab.child_application.withdrawn": "撤回残疾儿童康复救助申请",
                "rehab.child_record.voided": "作废残疾儿童康复救助服务记录",
            }
        )
