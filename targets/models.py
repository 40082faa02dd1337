"""Annual targets and the indicator values computed from the records.

The indicators themselves are code (`targets.indicators.INDICATORS`): how a figure is
computed is a query, not data. What is data: the year's `Target` of an indicator for the
district or a town (set by the district administrator), and `IndicatorValue`, the figures
precomputed per town and month by `targets.services.indicators_refresh` — one set-based
statement per indicator, rerun after every write that changes them and nightly.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from canlian.scoping import ScopedManager

# `IndicatorValue.month` of the figure of the whole year (months are 1–12).
WHOLE_YEAR = 0


class IndicatorValue(models.Model):
    """One figure: an indicator for a town (or the district: its code) in a month of a year,
    or in the whole year (`month` = 0). Counts are persons or person-times, money is fen;
    a share is `value` out of `base`.

    The district's and the year's figures are stored as computed, not added up from the
    towns' and months': a person paid by two towns in a year (a move) is one recipient of
    the district, and a share of the district is not a sum of the towns' shares."""

    indicator = models.CharField("指标", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", help_text="0 表示全年")
    area_code = models.CharField("区划代码", max_length=12)
    value = models.BigIntegerField("数值")
    base = models.BigIntegerField("基数", null=True, blank=True, help_text="比例指标的分母")
    computed_at = models.DateTimeField("计算时间")

    # Figures of an area, of no one person: centre membership grants none of them.
    objects = ScopedManager()
    scope_field = "area_code"

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"
        permissions = [("refresh_indicators", "立即重新计算指标")]
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator", "month", "area_code"], name="indicator_value_once"),
            models.CheckConstraint(condition=Q(month__gte=0, month__lte=12), name="indicator_value_month_0_12"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d} {self.area_code}: {self.value}"


class FirstMonthCount(models.Model):
    """For a distinct count kept as a sum of months (`Indicator.year_by_first_months`, the
    payroll's recipients): how many of a month's persons in an area have no row in an
    earlier month of the same year in that area, new(m). The year's distinct figure of the
    area is then the sum of its months' new(m), exactly: each person is counted in the
    first month they appear. A change of month m's rows changes new(m) and the later
    months' only, so an approval recomputes those (an anti-join of their rows against the
    earlier months by the person) and adds the months up, instead of reading the year's
    rows. Every refresh recomputes them from the records, never from the stored numbers,
    so the order in which approvals and their refreshes run does not matter.

    Each area's row of each month computed is stored even when 0: a year whose earlier
    months are not all there (figures of a year refreshed before this table) is computed
    from January. Internal to the refresh: no page reads it."""

    indicator = models.CharField("指标", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    area_code = models.CharField("区划代码", max_length=12)
    value = models.BigIntegerField("首次计入人数")

    class Meta:
        verbose_name = "指标首次计入数"
        verbose_name_plural = "指标首次计入数"
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator", "month", "area_code"], name="first_month_count_once"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="first_month_count_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d} {self.area_code}: {self.value}"


class IndicatorRefresh(models.Model):
    """When an indicator's figures of a year were last computed, and how long it took. Its
    row is locked while they are recomputed, so two refreshes of one indicator run one
    after the other instead of deleting each other's rows."""

    indicator = models.CharField("指标", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("用时（毫秒）", default=0)
    rows = models.PositiveIntegerField("行数", default=0)

    class Meta:
        verbose_name = "指标计算记录"
        verbose_name_plural = "指标计算记录"
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_refresh_once")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class Basis(models.TextChoices):
    """How a target came about: typed in, split from the district's by the towns' share of
    certified persons, or split and then changed by hand."""

    MANUAL = "manual", "手工设置"
    SPLIT = "split", "按持证人数分解"
    ADJUSTED = "adjusted", "分解后调整"


class Target(models.Model):
    """The year's target of an indicator for the district or one town, in the indicator's
    unit as shown (人, 人次, 元, %)."""

    year = models.PositiveSmallIntegerField("年度")
    indicator = models.CharField("指标", max_length=40)
    area = models.ForeignKey(
        "areas.Area", verbose_name="区划", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    basis = models.CharField("设定方式", max_length=10, choices=Basis.choices, default=Basis.MANUAL)
    note = models.CharField("依据", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        "accounts.User", verbose_name="设置人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    history = HistoricalRecords()
    objects = ScopedManager()
    scope_field = "area__code"

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["-year", "indicator", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator", "area"], name="target_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator} {self.area_id}: {self.value}"


class TrafficLight(models.Model):
    """The thresholds of an indicator's traffic light (红绿灯), as data: the figure against
    the progress expected by now (the target × the share of the year gone, or the whole
    target for a stock or a share), in percent. At least `green_from` is green, at least
    `amber_from` amber, below it red. The row with a blank indicator is the default."""

    indicator = models.CharField("指标", max_length=40, blank=True, unique=True, help_text="留空为默认阈值")
    green_from = models.DecimalField("绿灯起点（%）", max_digits=5, decimal_places=1, default=100)
    amber_from = models.DecimalField("黄灯起点（%）", max_digits=5, decimal_places=1, default=80)

    class Meta:
        verbose_name = "红绿灯阈值"
        verbose_name_plural = "红绿灯阈值"
        ordering = ["indicator"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_from__gte=0, green_from__gte=models.F("amber_from")), name="traffic_light_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator or '默认'}: 绿≥{self.green_from}% 黄≥{self.amber_from}%"
