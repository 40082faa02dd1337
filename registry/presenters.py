"""What a user is shown of a person: masked identifiers unless revealed, and no name or
address for a user without access to personal data (a leader)."""

from registry.identifiers import mask_account, mask_id, mask_name, mask_phone
from registry.models import Person
from registry.scoping import Privacy

HIDDEN = "（不显示）"


class PersonView:
    def __init__(self, person: Person, privacy: Privacy, *, revealed: bool = False) -> None:
        self.person = person
        self.privacy = privacy
        self.revealed = revealed and privacy.may_reveal and privacy.personal

    def __getattr__(self, name):
        return getattr(self.person, name)

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
        return number if self.revealed else mask_id(number[:18]) + number[18:]

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

        today = datetime.date.today()
        b = self.person.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))
