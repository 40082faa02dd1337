"""The default admission rule of each kind of institution (local practice; edited in the
admin): 社区康园中心 and sheltered workshops take working-age (16–59) persons with an
intellectual, mental or severe (grade 1–2) disability; the adult day care takes adults
with an intellectual or mental disability (autism is certified as mental); boarding care
takes severe (grade 1–2) disability."""

from django.db import migrations

RULES = [
    ("centre", 16, 59, [5, 6], [1, 2], "劳动年龄段（16–59 岁）的智力、精神和重度（一、二级）残疾人"),
    ("workshop", 16, 59, [5, 6], [1, 2], "劳动年龄段（16–59 岁）的智力、精神和重度（一、二级）残疾人"),
    ("adult_day_care", 16, 59, [5, 6], [], "大龄智力残疾人、孤独症（精神残疾）人士"),
    ("boarding", 16, 59, [], [1, 2], "重度（一、二级）残疾人"),
]


def create(apps, schema_editor):
    AdmissionRule = apps.get_model("care", "AdmissionRule")
    for kind, low, high, categories, grades, note in RULES:
        AdmissionRule.objects.get_or_create(
            kind=kind,
            defaults={"min_age": low, "max_age": high, "categories": categories, "grades": grades, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0001_institutions_membership_attendance")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
