"""The monthly and the annual report: every indicator, grouped by the seed's sections, for
the district and each town in the user's scope, with its target, actual, achievement, the
traffic light and the previous year's value — as an .xlsx workbook (one sheet per section:
基本保障, 康复, 托养, 就业, 关爱慰问, 权益与心理, 活动) and as a printable A4 page.

Both are built from `selectors.board` (the user's scope, figures only), so they show what
the dashboard shows and never a person. The monthly report adds the month's own figure and
the same month of the previous year."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.utils import timezone

from canlian.indicators import SECTIONS, Indicator
from canlian.workbooks import HEADER_FORMAT
from targets import selectors
from targets.achievement import Light
from targets.figures import value_text
from targets.selectors import Figure

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
    district first (for a district user), then each town."""
    today = today or timezone.localdate()
    board = selectors.board(user, year, today=today)
    previous = selectors.board(user, year - 1, today=today)
    areas = sorted(board.areas, key=lambda a: (a.level, a.code))
    sections: list[tuple[str, list[Line]]] = []
    for section in SECTIONS:
        lines = []
        for indicator in (i for i in board.indicators if i.report_section == section):
            for area in areas:
                figure: Figure = board.figure(indicator, area)
                before: Figure = previous.figure(indicator, area)
                lines.append(
                    Line(
                        indicator=indicator,
                        area_name=area.name,
                        is_district=area.level == 1,
                        value=figure.value,
                        target=figure.target,
                        achievement=figure.achievement,
                        expected=figure.expected,
                        light=figure.light,
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
            rows += 1
        sheet.write_string(len(lines) + 4, 0, f"生成时间：{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M}")
    book.close()
    return rows


def shown(line: Line, value: Decimal | None) -> str:
    """A value of the printed page, as the dashboard prints it."""
    return "—" if value is None else value_text(line.indicator, value)


# The seed's sentence forms, by indicator: the annual report's draft text is these with the
# district's figures of the year, so next year's report can be written from it.
SENTENCES = {
    "certified_persons": "全区现有持证残疾人{v}名",
    "living_recipients": "为{v}名困难残疾人发放生活补贴",
    "nursing_recipients": "为{v}名重度残疾人发放护理补贴",
    "education_students": "资助{v}名残疾学生接受学前至高等教育",
    "fuel_recipients": "{v}名残疾人发放燃油补贴",
    "insurance_insured": "为全区{v}名持证残疾人购买重大疾病和意外伤害保险",
    "rehab_person_times": "为残疾人提供康复资助服务，受惠残疾人{v}例（人次）",
    "rehab_coverage": "有康复需求的残疾儿童和持证残疾人接受基本康复服务比例达{v}%",
    "child_rehab_children": "为{v}名残疾儿童提供康复救助",
    "care_centres": "全区{v}间社区康园中心",
    "care_members": "社区康园中心等日间照料机构在册学员{v}名",
    "care_watches_issued": "为社区康园中心学员免费发放智能定位手表{v}只",
    "outreach_households_visited": "走访慰问了困难残疾人家庭共{v}户",
    "outreach_deliveries": "为全区{v}名残疾人送上一份“生活爱心包”",
    "legal_cases_opened": "受理残疾人法律救助案件{v}件",
    "activity_person_times": "残疾人参加各类文化活动{v}人次",
    "five_ones_complete": "{v}名残疾人完成“五个一”文化活动",
}


def draft_text(report: Report) -> list[str]:
    """The annual report's draft sentences: the seed's forms with the district's figures
    (only those computed; an indicator of no sentence is left to the table)."""
    sentences = []
    for _, lines in report.sections:
        for line in lines:
            form = SENTENCES.get(line.indicator.key)
            if form and line.is_district and line.value is not None:
                sentences.append(form.format(v=shown(line, line.value)) + "。")
    return sentences
