import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outreach.declaration import TINY_PNG
from outreach.services import visit_record

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(name: str = "走访.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, TINY_PNG, content_type="image/png")


@pytest.fixture
def visit_for(users):
    """A visit of `person` by the officer of their town, `days_ago` days back."""

    def _visit(person, *, days_ago: int = 10, by: str = "officer", **extra):
        fields = {
            "visited_on": TODAY - days_ago * DAY,
            "visitors": [users[by]],
            "money": Decimal("500"),
            "gifts": "大米一袋",
        }
        fields.update(extra)
        return visit_record(user=users[by], person=person, **fields)

    return _visit


@pytest.fixture
def campaign_for(users):
    """A campaign of the rule, from 30 days ago to 30 days ahead, started (list frozen)."""
    from outreach.campaigns import campaign_create, campaign_start

    def _campaign(rule="certified", *, name="生活爱心包", start=True):
        campaign = campaign_create(
            user=users["admin"],
            name=name,
            gift="米、油、日用品一份",
            starts_on=TODAY - 30 * DAY,
            ends_on=TODAY + 30 * DAY,
            rule=rule,
        )
        if start:
            campaign_start(user=users["admin"], campaign=campaign)
        return campaign

    return _campaign
