"""Admin pieces shared by the apps."""


class ReadOnlyMixin:
    """An admin that shows records and never adds, changes or deletes them: persons, events,
    money and the access log change only through the services, which check and log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
