from django.contrib import admin

from areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_active", "successor"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]
