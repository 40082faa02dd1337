from django.urls import NoReverseMatch, reverse

# The navigation holds every app; an entry shows when the user has its permission (or all
# of its permissions).
NAVIGATION = [
    ("registry:person_list", "持证残疾人", "registry.view_person"),
    ("registry:import_start", "数据导入", "registry.import_persons"),
    ("registry:comparison_start", "数据比对", "registry.import_persons"),
    ("benefits:application_list", "补贴申请", ("benefits.view_application", "registry.view_personal_data")),
    ("benefits:eligibility", "资格比对", "benefits.view_eligibility"),
    ("benefits:batch_list", "补贴发放", "benefits.view_payrollbatch"),
    ("benefits:grant_list", "其他资助", "benefits.view_award"),
    ("rehab:record_list", "康复服务", ("rehab.view_servicerecord", "registry.view_personal_data")),
    ("rehab:figures", "康复统计", "rehab.view_servicerecord"),
    ("targets:dashboard", "目标与指标", "targets.view_indicatorvalue"),
    ("audit:entry_list", "审计日志", "canlian.view_auditentry"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, perm in NAVIGATION:
        if not user.has_perms([perm] if isinstance(perm, str) else perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a feature whose pages are not installed
            continue
        items.append({"url": url, "label": label, "active": False})
    # The current page is the entry with the longest matching address, so /persons/import/
    # marks 数据导入 and not also 持证残疾人.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
