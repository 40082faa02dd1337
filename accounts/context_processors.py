from django.urls import NoReverseMatch, reverse

from canlian import declarations


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    # A page renders each app's panel with the request, and every such render runs the
    # context processors: the menu is worked out once per request, not once per panel.
    made = getattr(request, "_canlian_navigation", None)
    if made is None:
        made = request._canlian_navigation = _navigation(request, user)
    return made


def _navigation(request, user) -> dict:
    items = []
    # Every app's entries (its declaration); one shows when the user has its permissions.
    for entry in declarations.navigation():
        if not declarations.permitted(user, entry.permission):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # a feature whose pages are not installed
            continue
        items.append({"url": url, "label": entry.label, "group": entry.group, "active": False})
    # The current page is the entry with the longest matching address, so /persons/import/
    # marks 数据导入 and not also 持证残疾人.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "nav_groups": nav_groups(items)}


def nav_groups(items: list[dict]) -> list[dict]:
    """The entries (in order) gathered by group, each group where its first entry falls:
    `{"label", "items", "active"}`; an entry without a group is a group of its own with no
    label."""
    groups: list[dict] = []
    by_label: dict[str, dict] = {}
    for item in items:
        group = by_label.get(item["group"]) if item["group"] else None
        if group is None:
            group = {"label": item["group"], "items": [], "active": False}
            groups.append(group)
            if item["group"]:
                by_label[item["group"]] = group
        group["items"].append(item)
        group["active"] = group["active"] or item["active"]
    return groups
