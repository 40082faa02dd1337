"""First-generation 15-digit ID numbers become 18-digit ones: "19" before the two-digit
year and the check character (GB 11643-1999); an impossible date is refused."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from registry.forms import PersonForm
from registry.identifiers import (
    IdentifierError,
    id_number_from_15,
    id_number_key,
    parse_certificate,
    parse_id_number,
)


def test_the_published_example_converts_to_its_18_digit_number():
    parsed = parse_id_number("110105491231002")
    assert (parsed.number, parsed.converted_from) == ("11010519491231002X", "110105491231002")
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.gender == "F"


def test_an_18_digit_number_is_not_marked_as_converted():
    assert parse_id_number("11010519491231002X").converted_from == ""


@pytest.mark.parametrize("number", ["440703700230135", "440703701301135", "440703000000135"])
def test_an_impossible_date_is_refused_saying_so(number):
    with pytest.raises(IdentifierError, match="15 位旧身份证号中的出生日期 .* 不是有效日期"):
        parse_id_number(number)


def test_the_import_key_converts_like_the_parser_and_leaves_a_bad_date_alone():
    assert id_number_key(" 110105491231002 ") == "11010519491231002X"
    assert id_number_key("440703700230135") == "440703700230135"


def test_a_certificate_written_on_the_old_number_is_converted_too():
    parsed = parse_id_number("110105491231002")
    certificate = parse_certificate(
        "11010549123100242", id_number=parsed.number, category=4, grade=2, converted_from=parsed.converted_from
    )
    assert certificate.number == "11010519491231002X42"


@given(
    region=st.sampled_from(["440703", "110105", "340524"]),
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(1999, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_every_converted_number_is_valid_and_keeps_birth_date_and_gender(region, birth, sequence):
    old = f"{region}{birth:%y%m%d}{sequence:03d}"
    new = id_number_from_15(old)
    assert len(new) == 18
    assert new[:6] + new[8:17] == old
    assert ric.calc_check_digit(new) == new[17]
    parsed = parse_id_number(old, today=datetime.date(2026, 1, 1))
    assert parsed.number == new
    assert parsed.birth_date == birth
    assert parsed.gender == ("M" if sequence % 2 else "F")


def _form_data(areas, id_number: str, certificate: str) -> dict:
    return {
        "name": "黄伯伦",
        "gender": "F",
        "id_number": id_number,
        "certificate_number": certificate,
        "category": "4",
        "grade": "2",
        "area": areas["baisha_a"].pk,
        "economic_status": "none",
    }


def test_the_person_form_converts_a_15_digit_number(users, areas):
    form = PersonForm(_form_data(areas, "110105491231002", "11010519491231002X42"), user=users["officer"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == "11010519491231002X"
    assert form.parsed_id.converted_from == "110105491231002"


def test_the_person_form_refuses_an_impossible_date(users, areas):
    form = PersonForm(_form_data(areas, "110105491331002", "11010519491331002X42"), user=users["officer"])
    assert not form.is_valid()
    assert "不是有效日期" in form.errors["id_number"][0]
