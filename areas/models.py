"""The administrative-division tree (行政区划): district → town/street → community/village.

Codes are the 12-digit statistical codes of the national scheme. The code is the primary
key, so a person's area foreign key *is* the code, and "this area and below" is a prefix
match on an indexed column (see `Area.prefix`).
"""

from django.db import models

from canlian.prefix import prefix_filter


class Level(models.IntegerChoices):
    DISTRICT = 1, "区"
    TOWN = 2, "镇(街)"
    COMMUNITY = 3, "村(居)"


# Significant digits of a 12-digit code at each level: 440703 / 440703002 / 440703002001.
PREFIX_LENGTH = {Level.DISTRICT: 6, Level.TOWN: 9, Level.COMMUNITY: 12}


class AreaQuerySet(models.QuerySet):
    def within(self, area: "Area") -> "AreaQuerySet":
        """Areas at or below `area`."""
        return self.filter(prefix_filter("code", area.prefix))

    def towns(self) -> "AreaQuerySet":
        return self.filter(level=Level.TOWN, is_active=True)

    def communities(self) -> "AreaQuerySet":
        return self.filter(level=Level.COMMUNITY, is_active=True)


class Area(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=60)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("现行", default=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="并入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="撤并的区划：旧数据中的此代码按并入后的区划处理",
    )
    # The area's outline as a GeoJSON geometry (Polygon or MultiPolygon, lon/lat), loaded
    # by `import_areas --geojson`; the map draws it. Approximate: a sketch (the demo's),
    # which the map says is not the true boundary.
    boundary = models.JSONField("边界", null=True, blank=True, editable=False)
    boundary_approximate = models.BooleanField("边界为示意", default=False, editable=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["code"], name="area_code_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[Level(self.level)]]

    @property
    def town(self) -> "Area | None":
        """The town/street this area belongs to (itself for a town)."""
        if self.level == Level.TOWN:
            return self
        if self.level == Level.COMMUNITY:
            return self.parent
        return None

    def current(self) -> "Area":
        """Follow merges of retired areas to the area that carries them today."""
        area, seen = self, set()
        while area.successor_id and area.code not in seen:
            seen.add(area.code)
            area = area.successor
        return area

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)
