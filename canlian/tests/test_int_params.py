"""Whole numbers from a request: ASCII digits within the bigint range only. "²" passes
`str.isdigit` and then fails `int` (a 500); "١٢" passes both; neither is a number."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from canlian.params import MAX_INT, ascii_digits, int_param, parse_int
from registry.identifiers import IdentifierError, parse_id_number
from registry.testing import make_id_number


@pytest.mark.parametrize("text", ["²", "١٢", "１２", " 12", "12 ", "+1", "-1", "1.0", "", "0x1", str(MAX_INT + 1)])
def test_only_ascii_digits_within_the_bigint_range_are_a_number(text):
    assert parse_int(text) is None


def test_ascii_digits_are_read_up_to_the_largest_key():
    assert parse_int("0042") == 42
    assert parse_int(str(MAX_INT)) == MAX_INT
    assert ascii_digits("440703") and not ascii_digits("٤٤٠٧٠٣") and not ascii_digits(None)


def test_a_parameter_is_read_from_the_query_then_the_form():
    factory = RequestFactory()
    assert int_param(factory.get("/", {"person": "7"}), "person") == 7
    assert int_param(factory.post("/", {"person": "8"}), "person") == 8
    assert int_param(factory.get("/", {"person": "²"}), "person") is None
    assert int_param(factory.get("/"), "person") is None


def test_an_id_number_in_other_scripts_digits_is_refused():
    number = make_id_number(birth="19800101", sequence=123)
    # Accepted on main: `isdigit` and `int` both take Arabic-Indic digits, so the
    # checksum held and a number no search could find was stored.
    arabic = "".join(chr(0x0660 + int(c)) for c in number[:17]) + number[17]
    with pytest.raises(IdentifierError):
        parse_id_number(arabic)


@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999999"])
def test_the_vehicle_page_answers_404_not_500_to_a_person_that_is_not_a_number(login, users, value):
    response = login(users["officer"]).get(reverse("benefits:grant_vehicles"), {"person": value})
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "١"])
def test_the_application_form_answers_404_to_a_person_that_is_not_a_number(login, users, value):
    response = login(users["officer"]).get(reverse("benefits:application_create"), {"person": value})
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["targets:dashboard", "rehab:figures"])
def test_a_year_that_is_not_a_number_shows_this_year(login, users, url):
    assert login(users["admin"]).get(reverse(url), {"year": "²"}).status_code == 200
