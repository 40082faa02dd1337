"""Users, their role and jurisdiction, and the kinds of access that are logged."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from accounts.roles import Role


class User(AbstractUser):
    """A federation staff member. Their role decides what they may do; their area
    decides where: a town officer's area is their town, a district user's the district."""

    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        permissions = [("view_security_settings", "查看安全设置")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Family name first with no space (梁志明), as Chinese names are written; Django's
        default, given name, space, family name, reads "志明 梁"."""
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AccessLog:
    """The kinds of access to personal data that `accounts.services.access_log_write`
    records. The records themselves are audit entries (`canlian.AuditEntry`): the access
    log became part of the audit log, and this name stays so that callers say what they
    log as before."""

    class Action(models.TextChoices):
        REVEAL = "reveal", "查看完整证件号"
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"
