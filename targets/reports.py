"""The monthly and the annual report: every indicator, grouped by the seed's sections, for
the district and each town in the user's scope, with its target, actual, achievement, the
traffic light and the previous year's value — as an .xlsx workbook (one sheet per section:
基本保障, 康复, 托养, 就业, 关爱慰问, 权益与心理, 活动) and as a printable A4 page.

Both are built from `selectors.board` (the user's scope, figures only), so they show what
the dashboard shows and never a person. The monthly report adds the month's own figure and
the same month of the previous year, and its 本年累计 is the year to the end of its month
(for a month before the last one, `year_to_date`). The annual report adds a draft text —
the seed's sentence forms (`SENTENCES`) with the district's figures — on the page and as
the workbook's sheet 报告草稿."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.core.exceptions import EmptyResultSet
from django.utils import timezone

from canlian.indicators import SECTIONS, Indicator
from canlian.workbooks import HEADER_FORMAT
from targets import achievement, selectors
from targets.achievement import Light
from targets.figures import value_text
from targets.selectors import Figure
from targets.services import _grouping, district_code, is_additive

LIGHT_WORDS = {Light.GREEN: "绿", Light.AMBER: "黄", Light.RED: "红"}


@dataclass(frozen=True)
class Line:
    """One indicator of one area in the report."""

    indicator: Indicator
    area_name: str
    is_district: bool
    value: Decimal | None  # the year's figure (to date)
    target: Decimal | None
    achievement: Decimal | None
    expected: Decimal | None
    light: str | None
    previous_year: Decimal | None
    month_value: Decimal | None = None  # monthly report: the month's own figure
    previous_month: Decimal | None = None  # and the same month a year before

    @property
    def light_word(self) -> str:
        return LIGHT_WORDS.get(self.light, "")


@dataclass(frozen=True)
class Report:
    year: int
    month: int | None
    scope_name: str
    sections: list[tuple[str, list[Line]]]
    generated_at: datetime.datetime

    @property
    def title(self) -> str:
        period = f"{self.year}年{self.month}月" if self.month else f"{self.year}年度"
        return f"{self.scope_name}残疾人工作{period}指标报表"

    @property
    def is_monthly(self) -> bool:
        return self.month is not None


def report_build(user, *, year: int, month: int | None = None, today: datetime.date | None = None) -> Report:
    """The report of `year` (or of its `month`) for the areas in `user`'s scope: the
    district first (for a district user), then each town. A monthly report's 本年累计 is
    the year to the end of its month (`year_to_date`), with the achievement and the light
    of that month; the previous year's 上年同月 is that month's own figure."""
    today = today or timezone.localdate()
    board = selectors.board(user, year, today=today)
    previous = selectors.board(user, year - 1, today=today)
    areas = sorted(board.areas, key=lambda a: (a.level, a.code))
    to_date = month is not None and month < selectors.last_month_of(year, today)
    default_light, own_lights = achievement.thresholds_by_indicator()
    sections: list[tuple[str, list[Line]]] = []
    for section in SECTIONS:
        lines = []
        for indicator in (i for i in board.indicators if i.report_section == section):
            figures = {area.code: board.figure(indicator, area) for area in areas}
            values = {code: f.value for code, f in figures.items()}
            if to_date:
                values = year_to_date(indicator, year, month, figures)
            for area in areas:
                figure: Figure = figures[area.code]
                before: Figure = previous.figure(indicator, area)
                value, expected, light = values[area.code], figure.expected, figure.light
                if to_date:
                    expected = achievement.expected(indicator, figure.target, Decimal(month) / 12)
                    light = achievement.light(value, expected, own_lights.get(indicator.key, default_light))
                lines.append(
                    Line(
                        indicator=indicator,
                        area_name=area.name,
                        is_district=area.level == 1,
                        value=value,
                        target=figure.target,
                        achievement=achievement.achievement(value, figure.target),
                        expected=expected,
                        light=light,
                        previous_year=before.value,
                        month_value=figure.months[month - 1] if month else None,
                        previous_month=before.months[month - 1] if month else None,
                    )
                )
        sections.append((section, lines))
    home = board.home
    return Report(
        year=year,
        month=month,
        scope_name=home.name if home else "",
        sections=sections,
        generated_at=timezone.now(),
    )


def year_to_date(indicator: Indicator, year: int, month: int, figures: dict[str, Figure]) -> dict[str, Decimal | None]:
    """Each area's figure from January to the end of `month` (本年累计 of a past month), as
    the dashboard would have shown it then: a stock's month-end figure; a plain count or
    sum, its stored months added up; a distinct count or a share, read from the records
    to the month's end (one grouped query: a person counted in two months counts once)."""
    if indicator.is_stock:
        return {code: f.months[month - 1] for code, f in figures.items()}
    measure = indicator.measure(year)
    if is_additive(measure):
        return {
            code: None if f.value is None else sum((v or Decimal(0) for v in f.months[:month]), Decimal(0))
            for code, f in figures.items()
        }
    end = datetime.date(year + month // 12, month % 12 + 1, 1)
    upto = dataclasses.replace(measure, rows=measure.rows.filter(**{f"{measure.month}__lt": end}))
    common = {"key": indicator.key, "year": year, "now": timezone.now(), "district": district_code(), "this_month": 0}
    found: dict[str, tuple[int, int | None]] = {}
    try:
        town, whole = (_grouping(upto, by_town=t, by_month=False, **common) for t in (True, False))
        for row in town.union(whole, all=True):
            found[row["_area_code"]] = (row["_value"], row["_base"])
    except EmptyResultSet:
        pass
    shown = {}
    for code, figure in figures.items():
        if figure.value is None:
            shown[code] = None
        elif code in found:
            shown[code] = indicator.display(*found[code])
        else:
            shown[code] = None if indicator.is_share else indicator.display(0)
    return shown


def _headers(report: Report) -> list[str]:
    if report.is_monthly:
        return ["指标", "单位", "区划", "本月数值", "本年累计", "年度目标", "完成率（%）", "应完成进度", "红绿灯",
                "上年同月", "上年全年"]  # fmt: skip
    return ["指标", "单位", "区划", "全年数值", "年度目标", "完成率（%）", "红绿灯", "上年全年"]


def _cells(report: Report, line: Line) -> list:
    if report.is_monthly:
        return [line.month_value, line.value, line.target, line.achievement, line.expected, line.light_word,
                line.previous_month, line.previous_year]  # fmt: skip
    return [line.value, line.target, line.achievement, line.light_word, line.previous_year]


def report_write(report: Report, target: IO[bytes]) -> int:
    """The report as a workbook, one sheet per section of the seed; returns the rows written."""
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    bold = book.add_format(HEADER_FORMAT)
    title = book.add_format({"bold": True, "font_size": 14})
    number = book.add_format({"num_format": "#,##0.##"})
    money = book.add_format({"num_format": "#,##0.00"})
    headers = _headers(report)
    rows = 0
    for section, lines in report.sections:
        sheet = book.add_worksheet(section)
        sheet.write_string(0, 0, f"{report.title}（{section}）", title)
        sheet.write_row(2, 0, headers, bold)
        sheet.set_column(0, 0, 34)
        sheet.set_column(2, 2, 12)
        sheet.set_column(3, len(headers) - 1, 13)
        sheet.freeze_panes(3, 3)
        if not lines:
            sheet.write_string(3, 0, "本部分暂无指标")
        for row, line in enumerate(lines, start=3):
            sheet.write_row(row, 0, [line.indicator.name, line.indicator.unit, line.area_name])
            for col, value in enumerate(_cells(report, line), start=3):
                if isinstance(value, Decimal):
                    is_money = line.indicator.is_money and headers[col] not in ("完成率（%）",)
                    sheet.write_number(row, col, float(value), money if is_money else number)
                elif value:
                    sheet.write_string(row, col, value)
                elif headers[col] == "完成率（%）" and line.target is not None:
                    sheet.write_string(row, col, "—")  # a zero target: nothing to divide by
            rows += 1
        sheet.write_string(len(lines) + 4, 0, f"生成时间：{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M}")
    if not report.is_monthly:
        _draft_sheet(book, report, title)
    book.close()
    return rows


def shown(line: Line, value: Decimal | None) -> str:
    """A value of the printed page, as the dashboard prints it."""
    return "—" if value is None else value_text(line.indicator, value)


# The seed's sentence forms, by indicator, in the seed's order of sections: the annual
# report's draft text is these with the district's figures of the year (`draft_text`), so
# next year's report can be written from it. {v} is the figure as the dashboard prints it.
SENTENCES = {
    # 基本保障
    "certified_persons": "全区现有持证残疾人{v}名",
    "living_recipients": "为{v}名困难残疾人发放生活补贴",
    "living_amount": "发放困难残疾人生活补贴{v}元",
    "nursing_recipients": "为{v}名重度残疾人发放护理补贴",
    "nursing_amount": "发放重度残疾人护理补贴{v}元",
    "education_students": "资助{v}名残疾学生接受学前至高等教育",
    "basic_insurance_insured": "为{v}名精神和智力残疾人以及重度残疾人代缴城乡居民基本医疗和养老保险",
    "hardship_grants": "给予残疾人因患重大疾病等临时困难救助{v}人次",
    "house_repair_grants": "资助残疾人进行危房改造{v}人次",
    "home_adaptation_grants": "资助残疾人进行居家无障碍环境改造{v}人次",
    "fuel_recipients": "{v}名残疾人发放燃油补贴",
    "insurance_insured": "为全区{v}名持证残疾人购买重大疾病和意外伤害保险",
    "outreach_family_doctor_signed": "持证残疾人家庭医生签约率达{v}%",
    # 康复
    "rehab_person_times": "为残疾人提供康复资助服务，受惠残疾人{v}例（人次）",
    "rehab_coverage": "有康复需求的残疾儿童和持证残疾人接受基本康复服务比例达{v}%",
    "child_rehab_children": "为{v}名残疾儿童提供康复救助",
    # 托养
    "care_centres": "全区{v}间社区康园中心",
    "care_members": "社区康园中心等日间照料机构在册学员{v}名",
    "care_boarding_placed": "为{v}名重度残疾人提供寄宿型托养",
    "care_home_placed": "为{v}名残疾人提供居家养护服务",
    "care_cases_open": "为社区康园中心的精神残疾人实施个案化管理，在管个案{v}个",
    "care_watches_issued": "为社区康园中心学员免费发放智能定位手表{v}只",
    # 就业
    "employment_startup_households": "资助残疾人家庭自主创业及发展生产{v}户",
    "employment_trained": "为{v}名残疾人免费提供职业技能培训",
    "workshop_members": "残疾人辅助性就业车间在册残疾人{v}名",
    "workshop_sales": "残疾人产品线上线下销售额{v}元",
    # 关爱慰问
    "outreach_households_visited": "走访慰问了困难残疾人家庭共{v}户",
    "outreach_deliveries": "为全区{v}名残疾人送上一份“生活爱心包”",
    "outreach_home_services_done": "根据残疾人的实际需求送上家居清洁、电器维修、心灵辅导等贴心服务{v}人次",
    "outreach_watch_on_time": "独居（无人照料）残疾人按期联系率达{v}%",
    # 权益与心理
    "outreach_psych_sessions": "开展残疾人及家属、残疾人工作者心理健康服务{v}人次",
    "legal_cases_opened": "受理残疾人法律救助案件{v}件",
    # 活动
    "activity_person_times": "残疾人参加各类文化活动{v}人次",
    "five_ones_complete": "{v}名残疾人完成“五个一”文化活动",
}


def draft_text(report: Report) -> list[str]:
    """The annual report's draft sentences: the seed's forms with the district's figures
    (only those computed and not zero — "0名" is no sentence of a report; an indicator of
    no sentence is left to the table)."""
    sentences = []
    for _, lines in report.sections:
        for line in lines:
            form = SENTENCES.get(line.indicator.key)
            if form and line.is_district and line.value:
                sentences.append(form.format(v=shown(line, line.value)) + "。")
    return sentences


DRAFT_SHEET = "报告草稿"


def _draft_sheet(book, report: Report, title) -> None:
    """The annual report's draft text, a sentence a row, by section."""
    sheet = book.add_worksheet(DRAFT_SHEET)
    sheet.set_column(0, 0, 100)
    sheet.write_string(0, 0, f"{report.title}：报告草稿（按种子报告的句式生成，请核对后使用）", title)
    sentences = draft_text(report)
    for row, sentence in enumerate(sentences, start=2):
        sheet.write_string(row, 0, sentence)
    if not sentences:
        sheet.write_string(2, 0, "本年度尚无可写入草稿的指标数值")
