"""An ID-card reading on a form: the "读入" and "采用所选" steps of the person form.

The form is posted with `reading_action` = "read" (the reading in `reading`, pasted or put
there by `js/idcard.js` from the reader's local service) or "apply" (with the conflicts the
officer ticked in `reading_accept`). Either way nothing is saved: the form comes back with
its values merged (`registry.idcard.reading_merge`), to be checked and saved as usual. The
reading travels in the form, so the "apply" step parses it again rather than trusting
values sent back by the browser.
"""

from dataclasses import dataclass, field

from canlian.idcard import FIELDS, reader
from registry.idcard import Conflict, ReadingError, reading_apply, reading_merge, reading_parse

READ, APPLY = "read", "apply"
# The person's fields a reading may fill (the birth date follows the ID number; the photo
# is only shown, to compare with the holder).
FORM_FIELDS = ("name", "gender", "id_number", "address")


@dataclass
class ReadingStep:
    text: str = ""
    error: str = ""
    photo: str = ""
    filled: list[str] = field(default_factory=list)  # labels
    applied: list[str] = field(default_factory=list)  # labels
    conflicts: list[Conflict] = field(default_factory=list)
    done: bool = False  # read or applied without conflicts left
    check_only: bool = False  # compared with a registered person; nothing to fill
    other_card: bool = False  # the card's ID number is not the person's


def reading_action(data) -> str:
    action = data.get("reading_action", "")
    return action if action in (READ, APPLY) else ""


def reader_context() -> dict:
    """What the form's template needs to offer "读卡": the reader's URL, None when off."""
    config = reader()
    return {"idcard_reader": {"url": config["url"]} if config else None}


def _shown(form, name: str, value: str) -> str:
    """The old value as the form shows it: masked where the form masks it (PersonEditForm)."""
    widget = form.fields[name].widget
    if getattr(widget, "stored", None) and value == widget.stored:
        return widget.masked
    if name == "gender":
        return dict(form.fields[name].choices).get(value, value)
    return value


def reading_step(form, data) -> tuple[dict, ReadingStep]:
    """The initial values of the form after the reading in `data`, and what to tell the
    officer. A bad reading changes nothing: the values stay as they were posted."""
    current = {name: form[name].value() for name in form.fields}
    fields = [name for name in FORM_FIELDS if name in form.fields]
    text = data.get("reading", "")
    step = ReadingStep(text=text)
    config = reader()
    try:
        reading = reading_parse(text, config["fields"] if config else None)
    except ReadingError as exc:
        step.error = str(exc)
        return current, step
    values = {name: str(current.get(name) or "") for name in fields}
    if reading_action(data) == APPLY:
        accepted = data.getlist("reading_accept")
        before = reading_merge(values, reading, fields=fields)
        merge = reading_apply(values, reading, fields=fields, accepted=accepted)
        step.applied = [c.label for c in before.conflicts if c.field in accepted]
    else:
        merge = reading_merge(values, reading, fields=fields)
    step.photo = reading.photo
    step.filled = [FIELDS[name] for name in merge.filled]
    step.conflicts = [
        Conflict(c.field, c.label, _shown(form, c.field, c.old), _shown(form, c.field, c.new)) for c in merge.conflicts
    ]
    step.done = not step.conflicts
    return {**current, **{name: merge.values[name] for name in fields}}, step


def reading_check(person, data) -> ReadingStep:
    """A reading compared with a registered `person` (the application form: the holder at
    the window is the applicant). Nothing is filled or changed here; a field that differs
    is listed, to be corrected on the person's edit form, and another person's card is
    said to be one without showing either number."""
    step = ReadingStep(text=data.get("reading", ""), check_only=True)
    config = reader()
    try:
        reading = reading_parse(step.text, config["fields"] if config else None)
    except ReadingError as exc:
        step.error = str(exc)
        return step
    step.photo = reading.photo
    if reading.values["id_number"] != person.id_number:
        step.other_card = True
        return step
    genders = {"M": "男", "F": "女"}
    for name in ("name", "gender", "address"):
        new = reading.values.get(name, "")
        old = str(getattr(person, name) or "")
        if new and " ".join(old.split()) != " ".join(new.split()):
            shown = (genders.get(old, old), genders.get(new, new)) if name == "gender" else (old, new)
            step.conflicts.append(Conflict(name, FIELDS[name], *shown))
    step.done = not step.conflicts
    return step
