from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.roles import Role
from workshops.models import Product, Project, Workshop


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "area", "service_point_shown", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("area", "service_point")
    search_fields = ("code", "name")
    filter_horizontal = ("staff",)
    inlines = [ProjectInline]

    @admin.display(description="所属就业服务点")
    def service_point_shown(self, obj: Workshop) -> str:
        return obj.service_point_label or "—"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            from accounts.models import User

            kwargs["queryset"] = User.objects.filter(role=Role.CENTRE_STAFF).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ("name", "workshop", "project", "price_fen", "stock", "is_active")
    list_filter = ("workshop", "is_active")
    search_fields = ("name",)
    # Stock moves only through restocking and sales (workshops.services), never by hand.
    readonly_fields = ("stock",)
