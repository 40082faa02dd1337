from django.urls import reverse

# The navigation holds every app; entries whose app is not built yet stay hidden.
NAVIGATION = [
    ("registry:person_list", "持证残疾人", "registry.view_person"),
    ("registry:import_start", "数据导入", "registry.import_persons"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, perm in NAVIGATION:
        if user.has_perm(perm):
            url = reverse(name)
            items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items}
