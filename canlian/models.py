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
    # The client's address when the entry was written answering a request (none from a
    # command or a background job).
    ip_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)

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


class Job(models.Model):
    """One piece of background work — an import, a payroll generation, a large export — and
    its progress, which its status page polls. `kind` is namespaced by the app
    (`benefits.payroll`); `params` says what to do, `report` what came of it."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        REFUSED = "refused", "未能进行"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=48)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.QUEUED)
    processed = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.TextField("说明", blank=True)
    report = models.JSONField("结果", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # The last sign of life of the worker running the job (its start, each progress), by
    # which a job whose worker died is told from a slow one (`canlian.jobs.dead_jobs_fail`).
    heartbeat_at = models.DateTimeField("最近进度时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        # "My recent jobs of this kind", the pages' list.
        indexes = [models.Index(fields=["created_by", "kind", "created_at"], name="job_recent_idx")]

    def __str__(self) -> str:
        return f"{self.title} {self.get_state_display()}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.REFUSED, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0
