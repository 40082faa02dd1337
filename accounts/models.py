"""Users, their role and jurisdiction, and the access log."""

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

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Family name first with no space (梁志明), as Chinese names are written; Django's
        default, given name, space, family name, reads "志明 梁"."""
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AccessLog(models.Model):
    """Who saw or took personal data: each reveal of identifiers, each export, each import."""

    class Action(models.TextChoices):
        REVEAL = "reveal", "查看完整证件号"
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="对象",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.JSONField("详情", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "访问记录"
        verbose_name_plural = "访问记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"
