"""The models every app shares: the audit log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One state change without a history of its own, or one access to personal data: who
    did which namespaced action (`benefits.batch.approved`) to what, when, with what data.
    Written by the services through `canlian.audit.audit_write`, never changed."""

    action = models.CharField("操作", max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    # A filter, not a link: a person's entries are found without a join, and the log keeps
    # an entry whatever later happens to the row (no database constraint).
    person_id = models.BigIntegerField("人员编号", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    data = models.JSONField("详情", default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        # The page's order, newest first: a backward walk of this index.
        indexes = [models.Index(fields=["created_at", "id"], name="audit_time_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.action_label} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        from canlian.audit import ACTIONS

        return ACTIONS.get(self.action, self.action)
