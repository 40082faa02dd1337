"""workshops 0003: a workshop's service point, text until then, becomes a link to the
employment network. A text that is a point's code, or the one name of a point, links the
workshop to it; any other text stays as the note the pages mark as not linked. Unapplied,
a linked point's name goes back into the text.

The migration's functions run on today's tables, whose columns are 0003's (the old text is
`service_point_note` from its renames on): migrating the database back and forth took ~100 s
a run."""

import importlib

import pytest
from django.apps import apps

from employment.models import ServicePoint
from workshops.models import Workshop

MIGRATION = importlib.import_module("workshops.migrations.0003_workshop_service_point_link")


@pytest.mark.django_db
def test_texts_naming_a_point_are_linked_and_the_others_kept_as_a_note(areas):
    texts = {
        "CJ91": "JY02",  # a code
        "CJ92": " 职业训练平台 ",  # a name, with spaces around
        "CJ93": "杜阮镇就业服务站",  # no point of that name
        "CJ94": "重名服务点",  # two points of that name
        "CJ95": "",
    }
    for code in ("FW91", "FW92"):
        ServicePoint.objects.create(code=code, name="重名服务点", level="point", area=areas["baisha"], setting="town")
    for code, text in texts.items():
        # As the renames leave a workshop before the data step: its text in the note, no link.
        Workshop.objects.create(code=code, name=f"车间{code}", area=areas["baisha"], service_point_note=text)
    MIGRATION.link(apps, None)

    linked = {w.code: (w.service_point and w.service_point.code, w.service_point_note) for w in Workshop.objects.all()}
    assert linked == {
        "CJ91": ("JY02", ""),
        "CJ92": ("JY01", ""),
        "CJ93": (None, "杜阮镇就业服务站"),
        "CJ94": (None, "重名服务点"),
        "CJ95": (None, ""),
    }
    assert Workshop.objects.get(code="CJ93").service_point_label == "杜阮镇就业服务站（未关联就业服务网点）"
    assert Workshop.objects.get(code="CJ91").service_point_label == ServicePoint.objects.get(code="JY02").name

    # Unapplied: the text the renames then carry back to `service_point` is the note.
    MIGRATION.unlink(apps, None)
    assert dict(Workshop.objects.values_list("code", "service_point_note")) == {
        "CJ91": "就业平台",
        "CJ92": "职业训练平台",
        "CJ93": "杜阮镇就业服务站",
        "CJ94": "重名服务点",
        "CJ95": "",
    }
