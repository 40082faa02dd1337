"""Fuzzing (hypothesis, a bounded number of examples each) of what reads an officer's
input: the ID number and certificate parsers, the registry's field cleaners, every
importer's cell parsers and the registry import's whole row. Whatever a cell holds (text,
numbers, floats such as NaN, dates, times, booleans, None), the answer is a value or an
error with a Chinese message, never another exception."""

import datetime
import inspect
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canlian.importing import CELL_ERRORS, IMPORTERS, id_cell_read
from registry import excel
from registry.identifiers import IdentifierError, parse_certificate, parse_id_number
from registry.testing import make_certificate, make_id_number
from registry.validators import FieldError, bank_account_clean, name_clean, phone_clean

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
FULL_WIDTH = str.maketrans("0123456789Xx-", "０１２３４５６７８９ＸｘＮ")

# What an openpyxl cell may hold, and text shaped like the identifiers (near misses too:
# a wrong check digit, full-width digits, spaces, a masked number, Excel's float of one).
ID_LIKE = st.one_of(
    st.from_regex(r"\A[1-8]\d{16}[\dXx]\Z"),
    st.from_regex(r"\A\d{15,20}[Xx]?\Z"),
    st.builds(
        lambda n, seq: make_id_number(birth=n, sequence=seq),
        st.sampled_from(["19800101", "20000229", "19491001"]),
        st.integers(1, 999),
    ),
    st.builds(lambda s: s.translate(FULL_WIDTH), st.from_regex(r"\A\d{17}[\dX]\Z")),
    st.builds(lambda s, k: s[:6] + "*" * k + s[6 + k :], st.from_regex(r"\A\d{18}\Z"), st.integers(1, 8)),
    st.builds(lambda s: f" {s[:6]} {s[6:14]} {s[14:]} ", st.from_regex(r"\A\d{17}[\dX]\Z")),
)
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, places=3, min_value=-(10**9), max_value=10**9),
    st.text(max_size=60),
    st.dates(min_value=datetime.date(1, 1, 1)),
    st.datetimes(),
    st.times(),
    ID_LIKE,
    st.integers(min_value=10**16, max_value=10**18 - 1).map(float),
)


def _chinese(exc: Exception) -> None:
    assert CHINESE.search(str(exc)), f"{type(exc).__name__} without a Chinese message: {exc!r}"


@BOUNDED
@given(CELLS)
def test_an_id_cell_is_a_number_or_a_chinese_refusal(cell):
    try:
        read = id_cell_read(cell)
    except IdentifierError as exc:
        _chinese(exc)
    else:
        assert re.fullmatch(r"\d{17}[\dX]", read.number)
        assert read.birth_date <= datetime.date.today()


@BOUNDED
@given(ID_LIKE)
def test_a_valid_id_number_reads_back_to_itself(raw):
    try:
        read = parse_id_number(raw)
    except IdentifierError as exc:
        _chinese(exc)
    else:
        assert parse_id_number(read.number).number == read.number


@BOUNDED
@given(CELLS, st.integers(0, 9), st.integers(0, 9))
def test_a_certificate_is_read_or_refused_in_chinese(cell, category, grade):
    id_number = make_id_number(birth="19800101", sequence=11)
    try:
        certificate = parse_certificate(cell, id_number=id_number, category=category, grade=grade)
    except IdentifierError as exc:
        _chinese(exc)
    else:
        assert certificate.number.startswith(id_number)


@BOUNDED
@given(st.integers(1, 7), st.integers(1, 4), st.booleans())
def test_a_made_certificate_is_accepted_and_a_mismatched_one_refused(category, grade, mismatch):
    id_number = make_id_number(birth="19750315", sequence=21)
    number = make_certificate(id_number, category, grade)
    if mismatch:
        with pytest.raises(IdentifierError) as refused:
            parse_certificate(number, id_number=id_number, category=category % 7 + 1, grade=grade)
        _chinese(refused.value)
    else:
        assert parse_certificate(number, id_number=id_number, category=category, grade=grade).number == number


@BOUNDED
@given(CELLS, st.sampled_from([name_clean, phone_clean, bank_account_clean]))
def test_the_field_cleaners_answer_a_text_or_a_chinese_refusal(cell, clean):
    try:
        text = clean(cell)
    except FieldError as exc:
        _chinese(exc)
    else:
        assert isinstance(text, str) and text == text.strip()


def _takes_a_cell(function) -> bool:
    """A parser of the registry's workbook called with the cell alone."""
    if not callable(function):
        return False
    required = [
        p for p in inspect.signature(function).parameters.values() if p.default is p.empty and p.kind != p.VAR_KEYWORD
    ]
    return len(required) == 1


def _cell_parsers():
    """Every importer's column parser that stands alone (a parser named by a string needs
    what the importer's `prepare` loaded: it is tested with its import)."""
    from canlian.declarations import declarations

    declarations()  # imports every app's declaration, and so its importers
    parsers, seen = {}, set()
    for kind, importer in sorted(IMPORTERS.items()):
        for column in importer.columns:
            if callable(column.parse) and column.parse not in seen:  # the ID cell's is shared
                seen.add(column.parse)
                parsers[f"{kind}: {column.header}"] = column.parse
    parsers.update(
        {
            f"registry: {name}": getattr(excel, name)
            for name in dir(excel)
            if name.startswith("parse_") and _takes_a_cell(getattr(excel, name))
        }
    )
    return parsers


PARSERS = _cell_parsers()


def test_the_fuzzed_parsers_include_each_apps_dates_numbers_and_choices():
    apps = {name.split(".")[0].split(":")[0] for name in PARSERS}
    assert {"registry", "rehab", "care", "outreach", "employment", "workshops", "activities"} <= apps
    assert len(PARSERS) >= 25


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_each_cell_parser_gives_a_value_or_a_chinese_error(name):
    parse = PARSERS[name]

    @BOUNDED
    @given(CELLS)
    def fuzz(cell):
        if excel.is_blank(cell):
            return  # a blank cell is None without a call (Importer._parse)
        try:
            parse(cell)
        except CELL_ERRORS as exc:
            text = "；".join(exc.messages) if hasattr(exc, "messages") else str(exc)
            assert CHINESE.search(text), f"{name}: {cell!r} refused without a Chinese message: {text!r}"

    fuzz()


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CELLS, min_size=0, max_size=len(excel.HEADERS) + 2))
def test_a_registry_row_of_any_cells_is_parsed_or_rejected_in_chinese(areas, cells):
    from registry.imports import RowParser

    parser = RowParser(
        index={header: i for i, header in enumerate(excel.HEADERS)}, prefix="440703", today=datetime.date(2026, 6, 1)
    )
    parsed = parser.parse(2, cells)
    for issue in parsed.issues:
        assert CHINESE.search(issue.message), f"{issue.column}: {issue.message!r}"
    if parsed.ok:
        assert re.fullmatch(r"\d{17}[\dX]", parsed.id_number)
        assert isinstance(parsed.values.get("name"), str)
