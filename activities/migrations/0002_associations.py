"""The five special associations of disabled persons (专门协会) of the district, with the
disability categories (GB/T 26341) of their members: local data, edited in the admin."""

from django.db import migrations

ASSOCIATIONS = [
    ("blind", "盲协", "蓬江区盲人协会", [1], 1),
    ("deaf", "聋协", "蓬江区聋人协会", [2, 3], 2),
    ("physical", "肢协", "蓬江区肢残人协会", [4], 3),
    ("intellectual", "智协", "蓬江区智力残疾人及亲友协会", [5], 4),
    ("mental", "精协", "蓬江区精神残疾人及亲友协会", [6], 5),
]


def load(apps, schema_editor):
    Association = apps.get_model("activities", "Association")
    for code, short_name, name, categories, order in ASSOCIATIONS:
        Association.objects.update_or_create(
            code=code, defaults={"short_name": short_name, "name": name, "categories": categories, "order": order}
        )


def unload(apps, schema_editor):
    apps.get_model("activities", "Association").objects.filter(code__in=[a[0] for a in ASSOCIATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
