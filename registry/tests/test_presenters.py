"""`PersonView` is an allow-list: identifiers come only masked (or revealed) through its
properties, the non-identifying attributes it names pass, and anything else is an error."""

import pytest
from django.template import Context, Template

from registry.identifiers import mask_account, mask_id, mask_phone
from registry.presenters import HIDDEN, PersonView
from registry.scoping import Privacy

OFFICER = Privacy(personal=True, may_reveal=True)
LEADER = Privacy(personal=False, may_reveal=False)


def test_identifiers_come_masked_through_the_properties(person):
    view = PersonView(person, OFFICER)
    assert view.id_number == mask_id(person.id_number) != person.id_number
    assert view.phone == mask_phone(person.phone) != person.phone
    assert view.bank_account == mask_account(person.bank_account) != person.bank_account


def test_identifiers_come_whole_only_when_revealed(person):
    view = PersonView(person, OFFICER, revealed=True)
    assert (view.id_number, view.phone, view.bank_account) == (person.id_number, person.phone, person.bank_account)


def test_a_leader_gets_no_identifier_even_asking_for_the_reveal(person):
    view = PersonView(person, LEADER, revealed=True)
    assert (view.id_number, view.phone, view.bank_account) == (HIDDEN, HIDDEN, HIDDEN)


def test_the_named_attributes_pass(person):
    view = PersonView(person, OFFICER)
    assert (view.pk, view.area, view.grade) == (person.pk, person.area, person.grade)
    assert view.get_category_display() == person.get_category_display()


@pytest.mark.parametrize("name", ["created_at", "age_on", "save", "refresh_from_db", "no_such_field"])
def test_an_attribute_it_does_not_name_is_an_error(person, name):
    with pytest.raises(AttributeError, match=name):
        getattr(PersonView(person, OFFICER), name)


def test_a_template_gets_nothing_of_an_attribute_it_does_not_name(person):
    # Django's templates show an AttributeError as an empty string: nothing unmasked.
    html = Template("[{{ p.id_number }}|{{ p.updated_at }}]").render(Context({"p": PersonView(person, OFFICER)}))
    assert html == f"[{mask_id(person.id_number)}|]"
