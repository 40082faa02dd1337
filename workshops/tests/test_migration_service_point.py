"""workshops 0003: a workshop's service point, text until then, becomes a link to the
employment network. A text that is a point's code, or the one name of a point, links the
workshop to it; any other text stays as the note the pages mark as not linked. Unapplied,
a linked point's name goes back into the text."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("workshops", "0002_sale_void")]


def _migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_texts_naming_a_point_are_linked_and_the_others_kept_as_a_note(areas):
    texts = {
        "CJ91": "JY02",  # a code
        "CJ92": " 职业训练平台 ",  # a name, with spaces around
        "CJ93": "杜阮镇就业服务站",  # no point of that name
        "CJ94": "重名服务点",  # two points of that name
        "CJ95": "",
    }
    try:
        _migrate(BEFORE)
        # Employment is not migrated back: its models are today's.
        from employment.models import ServicePoint

        Workshop = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("workshops", "Workshop")
        for code in ("FW91", "FW92"):
            ServicePoint.objects.create(
                code=code, name="重名服务点", level="point", area=areas["baisha"], setting="town"
            )
        for code, text in texts.items():
            Workshop.objects.create(code=code, name=f"车间{code}", area_id=areas["baisha"].pk, service_point=text)
        _migrate()

        from workshops.models import Workshop as Now

        linked = {w.code: (w.service_point and w.service_point.code, w.service_point_note) for w in Now.objects.all()}
        assert linked == {
            "CJ91": ("JY02", ""),
            "CJ92": ("JY01", ""),
            "CJ93": (None, "杜阮镇就业服务站"),
            "CJ94": (None, "重名服务点"),
            "CJ95": (None, ""),
        }
        assert Now.objects.get(code="CJ93").service_point_label == "杜阮镇就业服务站（未关联就业服务网点）"
        assert Now.objects.get(code="CJ91").service_point_label == ServicePoint.objects.get(code="JY02").name

        _migrate(BEFORE)
        apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        back = dict(apps.get_model("workshops", "Workshop").objects.values_list("code", "service_point"))
        assert back == {
            "CJ91": "就业平台",
            "CJ92": "职业训练平台",
            "CJ93": "杜阮镇就业服务站",
            "CJ94": "重名服务点",
            "CJ95": "",
        }
    finally:
        _migrate()
