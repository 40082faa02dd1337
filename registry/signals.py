"""Domain signals of the registry, for apps that keep a copy of a person's area code
(benefits keeps it on awards and applications so those tables can be distributed and
scoped by area)."""

from django.dispatch import Signal

# Sent inside the transaction that moved persons to another community:
# moves = {person_id: new_area_code}.
persons_moved = Signal()
