"""Events carry their person's area code (every large table does: docs/scaling.md). Existing
events take their person's area today, the best record there is of where they were made."""

from django.db import migrations, models


def fill_area_codes(apps, schema_editor):
    schema_editor.execute(
        "UPDATE registry_personevent SET area_code = "
        "(SELECT area_id FROM registry_person WHERE registry_person.id = registry_personevent.person_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_prefix_ranges"),
    ]

    operations = [
        migrations.AddField(
            model_name="personevent",
            name="area_code",
            field=models.CharField(default="", editable=False, max_length=12, verbose_name="区划代码"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_area_codes, migrations.RunPython.noop),
    ]
