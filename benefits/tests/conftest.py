import datetime

import pytest

from benefits.models import Award, Scheme


@pytest.fixture
def living(db):
    return Scheme.objects.get(code="living")


@pytest.fixture
def nursing(db):
    return Scheme.objects.get(code="nursing")


@pytest.fixture
def award_for():
    def _award(person, scheme, start: str, end: str | None = None):
        return Award.objects.create(
            person=person,
            scheme=scheme,
            area_code=person.area_id,
            start_month=datetime.date.fromisoformat(start + "-01"),
            end_month=datetime.date.fromisoformat(end + "-01") if end else None,
            source=Award.Source.IMPORT,
        )

    return _award
