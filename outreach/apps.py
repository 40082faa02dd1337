from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "慰问关爱"

    def ready(self) -> None:
        from canlian.audit import actions_register
        from canlian.scoping import register_scope_provider
        from outreach.campaigns import persons_moved_follow
        from outreach.psych import counsellor_provider
        from registry.signals import persons_moved

        persons_moved.connect(persons_moved_follow, dispatch_uid="outreach.campaign_targets_follow")
        register_scope_provider(counsellor_provider)

        actions_register(
            {
                "outreach.record.voided": "作废走访记录",
                "outreach.visitneed.voided": "作废走访发现的需求",
                "outreach.need.closed": "办结走访发现的需求",
                "outreach.campaign.created": "创建慰问发放活动",
                "outreach.campaign.started": "启动慰问发放活动（确定发放名单）",
                "outreach.campaign.targets_added": "补充慰问发放名单",
                "outreach.delivery.voided": "作废慰问品发放记录",
                "outreach.watch.assigned": "指定独居关爱责任人",
                "outreach.contact.voided": "作废独居关爱联系记录",
                "outreach.legalcase.voided": "作废法律救助案件",
                "outreach.doctor.voided": "作废家庭医生签约记录",
                "outreach.homeservice.voided": "作废上门服务",
                "outreach.psychcase.voided": "作废心理服务个案",
                "outreach.export": "导出慰问关爱名单",
                "outreach.import": "导入走访记录或发放记录",
            }
        )
