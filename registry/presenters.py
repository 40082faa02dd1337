"""What a user is shown of a person: masked identifiers unless revealed, and no name or
address for a user without access to personal data (a leader)."""

from django.urls import reverse

from registry.identifiers import mask_account, mask_id, mask_name, mask_phone
from registry.models import Category, EconomicStatus, Gender, Grade, Person, Status
from registry.scoping import Privacy

HIDDEN = "（不显示）"


def mask_certificate(number: str) -> str:
    """The certificate number with its ID part masked; category, grade and suffix shown."""
    return mask_id(number[:18]) + number[18:]


# Each identifier that is shown in full only as a logged reveal, with its masked form.
IDENTIFIER_MASKS = {
    "id_number": mask_id,
    "certificate_number": mask_certificate,
    "phone": mask_phone,
    "guardian_phone": mask_phone,
    "bank_account": mask_account,
}


class PersonView:
    """A person as `privacy` allows. An allow-list: the attributes that identify no one
    (`PASSED`) come through as they are, the identifying ones only through the properties
    below (masked, hidden or revealed); any other attribute is an AttributeError, so a new
    field is never shown unmasked by accident."""

    # What the pages and the exports read through a view besides its properties.
    PASSED = frozenset(
        {
            "pk",
            "gender",
            "category",
            "grade",
            "economic_status",
            "status",
            "status_date",
            "lives_alone",
            "flags",
            "merged_into_id",
            "area",
            "area_id",
            "certificate_issued",
            "certificate_valid_until",
            "bank_name",
            "household_id",
            "relationship_to_head",
            "get_gender_display",
            "get_category_display",
            "get_grade_display",
            "get_economic_status_display",
            "get_status_display",
        }
    )

    def __init__(self, person: Person, privacy: Privacy, *, revealed: bool = False) -> None:
        self.person = person
        self.privacy = privacy
        self.revealed = revealed and privacy.may_reveal and privacy.personal

    def __getattr__(self, name):
        # Only reached for names that are not the view's own (its properties, `person`).
        if name in self.PASSED:
            return getattr(self.person, name)
        raise AttributeError(f"PersonView does not pass {name!r}: add it to PASSED if it identifies no one")

    @property
    def name(self) -> str:
        return self.person.name if self.privacy.personal else mask_name(self.person.name)

    # Without access to personal data (a leader) not even a masked identifier is shown:
    # its region code and last digits, with a masked name, can still point at one person.
    @property
    def id_number(self) -> str:
        if not self.privacy.personal:
            return HIDDEN
        return self.person.id_number if self.revealed else mask_id(self.person.id_number)

    @property
    def certificate_number(self) -> str:
        if not self.privacy.personal:
            return HIDDEN
        number = self.person.certificate_number
        return number if self.revealed else mask_certificate(number)

    @property
    def phone(self) -> str:
        if not self.privacy.personal:
            return HIDDEN if self.person.phone else ""
        return self.person.phone if self.revealed else mask_phone(self.person.phone)

    @property
    def guardian_phone(self) -> str:
        if not self.privacy.personal:
            return HIDDEN if self.person.guardian_phone else ""
        return self.person.guardian_phone if self.revealed else mask_phone(self.person.guardian_phone)

    @property
    def bank_account(self) -> str:
        if not self.privacy.personal:
            return HIDDEN if self.person.bank_account else ""
        return self.person.bank_account if self.revealed else mask_account(self.person.bank_account)

    @property
    def address(self) -> str:
        return self.person.address if self.privacy.personal else HIDDEN

    @property
    def guardian_name(self) -> str:
        return self.person.guardian_name if self.privacy.personal else mask_name(self.person.guardian_name)

    @property
    def birth_date(self):
        return self.person.birth_date if self.privacy.personal else None

    @property
    def age(self) -> int:
        import datetime

        return self.person.age_on(datetime.date.today())


_LABELS = {
    "gender": dict(Gender.choices),
    "category": dict(Category.choices),
    "grade": dict(Grade.choices),
    "economic_status": dict(EconomicStatus.choices),
    "status": dict(Status.choices),
}


def person_list_rows(persons, privacy: Privacy) -> list[dict]:
    """The person list's cells, masked by `PersonView`, one dict a person. Worked out here
    once: the template only prints them, where a cell's lookup through `PersonView` and the
    model's `get_FOO_display` cost more than the rest of the page's rendering."""
    rows = []
    for person in persons:
        view = PersonView(person, privacy)
        area = person.area
        rows.append(
            {
                "url": reverse("registry:person_detail", args=[person.pk]),
                "name": view.name,
                "lives_alone": person.lives_alone,
                "gender": _LABELS["gender"].get(person.gender, person.gender),
                "id_number": view.id_number,
                "category": _LABELS["category"].get(person.category, person.category),
                "grade": _LABELS["grade"].get(person.grade, person.grade),
                "area": f"{area.parent.name if area.parent_id else ''} / {area.name}",
                "economic_status": _LABELS["economic_status"].get(person.economic_status, person.economic_status),
                "active": person.status == Status.ACTIVE,
                "status": _LABELS["status"].get(person.status, person.status),
                "phone": view.phone,
            }
        )
    return rows
