"""Pengjiang District and its towns/streets, with the retired streets mapped to successors.

The codes of the six current towns/streets are the official statistical codes. The codes
of the retired streets 堤东 and 北街, and which street each was merged into, are not in our
sources (unverified): they are data, editable in the admin.
"""

from django.db import migrations

DISTRICT = ("440703000000", "蓬江区")
TOWNS = [
    ("440703002000", "白沙街道"),
    ("440703005000", "潮连街道"),
    ("440703006000", "环市街道"),
    ("440703101000", "棠下镇"),
    ("440703102000", "荷塘镇"),
    ("440703103000", "杜阮镇"),
]
RETIRED = [
    ("440703001000", "仓后街道", "440703002000"),
    ("440703003000", "堤东街道", "440703002000"),
    ("440703004000", "北街街道", "440703006000"),
]


def load(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    district, _ = Area.objects.update_or_create(
        code=DISTRICT[0], defaults={"name": DISTRICT[1], "level": 1, "parent": None}
    )
    for code, name in TOWNS:
        Area.objects.update_or_create(
            code=code, defaults={"name": name, "level": 2, "parent": district}
        )
    for code, name, successor in RETIRED:
        Area.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": 2,
                "parent": district,
                "is_active": False,
                "successor_id": successor,
            },
        )


def unload(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    Area.objects.filter(code__in=[c for c, *_ in RETIRED]).delete()
    Area.objects.filter(code__in=[c for c, _ in TOWNS]).delete()
    Area.objects.filter(code=DISTRICT[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
