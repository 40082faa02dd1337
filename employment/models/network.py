"""The "1+3+N" employment and start-up service network (就业创业服务体系) as data: one hub
(就业创业服务枢纽平台), three platforms under it (职业训练, 就业, 创业孵化) and N service points
in the towns and the countryside, each with the services it offers. Every employment record
names the place (`ServicePoint`) where it was delivered. The hub and the platforms come
from migration 0002; the points are kept in the admin."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    HUB = "hub", "枢纽平台"
    PLATFORM = "platform", "服务平台"
    POINT = "point", "服务点"


class PlatformKind(models.TextChoices):
    TRAINING = "training", "职业训练平台"
    EMPLOYMENT = "employment", "就业平台"
    INCUBATION = "incubation", "创业孵化平台"


class Setting(models.TextChoices):
    TOWN = "town", "城镇"
    COUNTRYSIDE = "countryside", "农村"


class ServiceKind(models.TextChoices):
    GUIDANCE = "guidance", "职业指导"
    ASSESSMENT = "assessment", "职业能力评估"
    TRAINING = "training", "职业技能培训"
    PLACEMENT = "placement", "就业推荐与安置"
    STARTUP = "startup", "创业指导与扶持"
    INCUBATION = "incubation", "创业孵化"
    ASSISTED = "assisted", "辅助性就业"
    POLICY = "policy", "政策咨询"


class ServicePoint(models.Model):
    """A place of the network: the hub, a platform (with its kind) or a service point
    (with its town and whether it serves a town or the countryside)."""

    code = models.CharField("编号", max_length=16, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    platform_kind = models.CharField("平台类型", max_length=12, choices=PlatformKind.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name="所在镇(街)", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    setting = models.CharField("城乡", max_length=12, choices=Setting.choices, blank=True)
    services = models.JSONField("提供的服务", default=list, help_text="服务代码列表，如 guidance、training")
    address = models.CharField("地址", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "就业服务网点"
        verbose_name_plural = "就业服务网点"
        ordering = ["order", "code"]
        permissions = [("view_figures", "查看就业创业统计")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="platform", platform_kind__gt="") | (~Q(level="platform") & Q(platform_kind="")),
                name="employment_point_platform_kind",
            ),
            models.CheckConstraint(
                condition=~Q(level="point") | (Q(area__isnull=False) & Q(setting__gt="")),
                name="employment_point_town_setting",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def service_labels(self) -> list[str]:
        return [ServiceKind(code).label for code in self.services if code in ServiceKind.values]

    @property
    def kind_label(self) -> str:
        if self.level == Level.PLATFORM:
            return self.get_platform_kind_display()
        if self.level == Level.POINT:
            return f"{self.get_setting_display()}服务点"
        return self.get_level_display()

    def clean(self) -> None:
        unknown = [code for code in self.services if code not in ServiceKind.values]
        if unknown:
            raise ValidationError(f"未知的服务代码：{'、'.join(map(str, unknown))}")
