"""The network's places, the employers and the courses are data the district keeps here;
the person records change only through the services (scope, rules, voids), so here they
are read-only."""

from django.contrib import admin

from canlian.admin import ReadOnlyMixin
from employment.models import (
    Course,
    CourseEnrolment,
    Employer,
    EmploymentEvent,
    JobPlacement,
    ServicePoint,
    StartupSupport,
)


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "platform_kind", "area", "setting", "is_active"]
    list_filter = ["level", "setting", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "caring", "area", "is_active"]
    list_filter = ["caring", "kind", "is_active"]
    search_fields = ["name", "credit_code"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "provider", "starts_on", "ends_on", "capacity", "free"]
    readonly_fields = ["code"]
    search_fields = ["code", "name"]


@admin.register(EmploymentEvent, CourseEnrolment, StartupSupport, JobPlacement)
class RecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "person", "area_code", "created_at", "voided_at"]
