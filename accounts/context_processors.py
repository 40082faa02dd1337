from django.urls import NoReverseMatch, reverse

from canlian import declarations


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    # Every app's entries (its declaration); one shows when the user has its permissions.
    for entry in declarations.navigation():
        if not declarations.permitted(user, entry.permission):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # a feature whose pages are not installed
            continue
        items.append({"url": url, "label": entry.label, "active": False})
    # The current page is the entry with the longest matching address, so /persons/import/
    # marks 数据导入 and not also 持证残疾人.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
