"""The monthly and annual reports on the hand-built data set (`test_seed_figures`): one
sheet per section of the seed, each indicator with target, actual, achievement, light and
the previous year; the A4 page; a town officer's report holds their town only; nobody's
name anywhere."""

import io
import re
from decimal import Decimal

from django.urls import reverse
from python_calamine import CalamineWorkbook

from canlian.indicators import SECTIONS
from conftest import taken_from
from targets.reports import report_build
from targets.services import indicators_refresh
from targets.tests.test_seed_figures import YEAR, data_set_kept  # noqa: F401 (the fixture)


def _lines(report, key):
    return {line.area_name: line for _, lines in report.sections for line in lines if line.indicator.key == key}


class TestTheReports:
    """The reports on the data set, made once for the class."""

    data_set = taken_from("data_set_kept", "data_set")
    users = taken_from("data_set_kept", "users")

    def test_the_annual_report_has_every_section_and_the_figures_against_their_targets(self, data_set, users):
        indicators_refresh(year=YEAR - 1)
        report = report_build(users["admin"], year=YEAR)
        assert [section for section, _ in report.sections] == list(SECTIONS)
        visited = _lines(report, "outreach_households_visited")
        assert list(visited) == ["蓬江区", "白沙街道", "潮连街道", "环市街道", "棠下镇", "荷塘镇", "杜阮镇"]
        district = visited["蓬江区"]
        assert (district.value, district.target, district.achievement, district.light_word) == (
            3,
            170,
            Decimal("1.8"),
            "红",
        )
        assert visited["荷塘镇"].target == 0 and visited["荷塘镇"].achievement is None  # the zero target
        # The year before: 陈建国's visit of 31 December.
        assert (
            district.previous_year == 1
            and visited["白沙街道"].previous_year == 1
            and visited["荷塘镇"].previous_year == 0
        )
        legal = dict(report.sections)["权益与心理"]
        assert {line.indicator.key for line in legal} == {
            "legal_cases_opened",
            "legal_cases_closed",
            "outreach_psych_cases",
            "outreach_psych_sessions",
        }
        assert report.title == f"蓬江区残疾人工作{YEAR}年度指标报表"

    def test_the_workbook_has_one_sheet_per_section_and_no_names(self, data_set, users, login):
        response = login(users["admin"]).get(reverse("targets:report_export"), {"year": YEAR, "month": 12})
        assert response.status_code == 200
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        assert book.sheet_names == list(SECTIONS)
        care = book.get_sheet_by_name("关爱慰问").to_python()
        assert care[2][:5] == ["指标", "单位", "区划", "本月数值", "本年累计"]
        row = next(r for r in care if r[0] == "走访慰问户数" and r[2] == "蓬江区")
        assert row[3:7] == [1.0, 3.0, 170.0, 1.8]  # December, the year, the target, achievement
        text = str([book.get_sheet_by_name(s).to_python() for s in SECTIONS])
        for person in data_set.values():
            assert person.name not in text and person.id_number not in text

    def test_the_a4_page_with_the_draft_text(self, data_set, users, login):
        page = login(users["leader"]).get(reverse("targets:report"), {"year": YEAR})
        assert page.status_code == 200
        body = page.content.decode()
        assert "targets/report.css" in body and "1. 基本保障" in body and "7. 活动" in body
        assert "走访慰问了困难残疾人家庭共3户。" in body and "受理残疾人法律救助案件2件。" in body
        for person in data_set.values():
            assert person.name not in body

    def test_a_town_officers_report_holds_their_town_only(self, data_set, users, login):
        report = report_build(users["officer"], year=YEAR, month=3)
        visited = _lines(report, "outreach_households_visited")
        assert list(visited) == ["白沙街道"] and visited["白沙街道"].month_value == 1
        page = login(users["officer"]).get(reverse("targets:report"), {"year": YEAR, "month": 3}).content.decode()
        assert "荷塘镇" not in page and "蓬江区</td>" not in page and "上年同月" in page
        assert login(users["auditor"]).get(reverse("targets:report"), {"year": YEAR}).status_code == 403

    def test_the_annual_workbook_has_the_draft_sheet_in_the_seeds_sentences(self, data_set, users, login):
        response = login(users["admin"]).get(reverse("targets:report_export"), {"year": YEAR})
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        assert book.sheet_names == [*SECTIONS, "报告草稿"]
        draft = [row[0] for row in book.get_sheet_by_name("报告草稿").to_python()[2:]]
        # The year's district figures of the hand-built data set, in the seed's forms.
        assert "走访慰问了困难残疾人家庭共3户。" in draft
        assert "受理残疾人法律救助案件2件。" in draft
        assert "为社区康园中心学员免费发放智能定位手表2只。" in draft
        # No payroll in this data set: no "为全区0名持证残疾人购买…" sentence.
        assert not any("购买重大疾病和意外伤害保险" in sentence for sentence in draft)
        # The zero-target town's achievement is "—", not a division error.
        care = book.get_sheet_by_name("关爱慰问").to_python()
        hetang = next(r for r in care if r[0] == "走访慰问户数" and r[2] == "荷塘镇")
        assert hetang[3:6] == [2.0, 0.0, "—"]

    def test_a_past_months_report_counts_the_year_to_the_end_of_that_month(self, data_set, users):
        """本年累计 of February: the households visited by then (陈建国 in January, 李秀英 in
        February; a distinct count read from the records), legal cases of May (a plain count:
        the months added up), certified persons at February's end (a stock)."""
        february = report_build(users["admin"], year=YEAR, month=2)
        visited = _lines(february, "outreach_households_visited")
        assert [visited[name].value for name in ("蓬江区", "白沙街道", "荷塘镇")] == [2, 1, 1]
        district = visited["蓬江区"]
        assert district.month_value == 1 and district.achievement == Decimal("1.2")
        assert district.expected.quantize(Decimal("0.01")) == Decimal("28.33") and district.light_word == "红"
        assert visited["荷塘镇"].achievement is None  # the zero target
        assert _lines(february, "certified_persons")["蓬江区"].value == 3  # 李秀英 died in March
        may = _lines(report_build(users["admin"], year=YEAR, month=5), "legal_cases_opened")
        assert (may["蓬江区"].value, may["荷塘镇"].value, may["白沙街道"].value) == (1, 1, 0)
        # December is the whole year.
        assert (
            _lines(report_build(users["admin"], year=YEAR, month=12), "outreach_households_visited")["蓬江区"].value
            == 3
        )

    def test_the_a4_page_has_each_towns_target_actual_achievement_and_previous_year(self, data_set, users, login):
        """Per town, as the workbook: 白沙 and 荷塘's households visited against their targets,
        with the year before (陈建国's visit of 31 December is 白沙's)."""
        indicators_refresh(year=YEAR - 1)
        page = login(users["admin"]).get(reverse("targets:report"), {"year": YEAR}).content.decode()
        rows = {}
        for row in re.findall(r"<tr[^>]*>\s*<th scope=\"row\">走访慰问户数</th>(.*?)</tr>", page, re.S):
            cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            rows[cells[1]] = cells[2:]
        report = _lines(report_build(users["admin"], year=YEAR), "outreach_households_visited")
        assert list(rows) == list(report)  # the district, then every town
        # 全年数值, 年度目标, 完成率（%）, 红绿灯, 上年全年
        assert rows["蓬江区"] == ["3", "170", "1.8", "红", "1"]
        assert rows["荷塘镇"] == ["2", "0", "—", "—", "0"]  # the zero target: no achievement
        # A household visited in both towns (a move) counts in each, and once in the district.
        assert rows["白沙街道"] == ["2", "2", "100.0", "绿", "1"]
