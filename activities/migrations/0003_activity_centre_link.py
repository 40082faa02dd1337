"""A centre's activity names its centre by a foreign key to care's institutions, not by text
only, so the centre's page (targets.centre) can count its activities and participants. A
text that is the code or the name of a community centre (or adult day-care institution) of
the activity's town — or of the district itself — links the activity to it and is cleared;
any other stays in `centre_name`, which the pages show marked as not linked until someone
picks the centre. Unapplied, a linked centre's name goes back into the text."""

import django.db.models.deletion
from django.db import migrations, models

# The kinds of institution that organise activities (care.InstitutionKind; the form's choice).
KINDS = ("centre", "adult_day_care")
TOWN_DIGITS = 9


def _town(code: str) -> str:
    return code[:TOWN_DIGITS] + "000"


def link(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Institution = apps.get_model("care", "Institution")
    found = {}
    for institution in Institution.objects.filter(kind__in=KINDS):
        found[institution.code] = found[institution.name] = institution
    for activity in Activity.objects.filter(organiser="centre", centre__isnull=True).exclude(centre_name=""):
        institution = found.get(activity.centre_name.strip())
        if institution is None:
            continue
        at_district = institution.area_id[6:] == "000000"
        if not at_district and _town(institution.area_id) != _town(activity.area_id):
            continue  # a centre of another town: not the one meant, or a wrong town; a person decides
        activity.centre, activity.centre_name = institution, ""
        activity.save(update_fields=["centre", "centre_name"])


def unlink(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    for activity in Activity.objects.filter(centre__isnull=False, centre_name="").select_related("centre"):
        activity.centre_name = activity.centre.name[:60]
        activity.save(update_fields=["centre_name"])


NOTE = models.CharField(
    blank=True,
    help_text="关联托养机构之前以文字登记、未能对应到机构的康园中心；选定主办康园中心后清空",
    max_length=60,
    verbose_name="原登记的康园中心",
)
HELP = "康园中心主办的活动：从托养机构中选择"


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_associations"),
        ("care", "0006_followup_void"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="centre",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text=HELP,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="activities",
                to="care.institution",
                verbose_name="主办康园中心",
            ),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="centre",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="care.institution",
                verbose_name="主办康园中心",
            ),
        ),
        migrations.AlterField(model_name="activity", name="centre_name", field=NOTE),
        migrations.AlterField(model_name="historicalactivity", name="centre_name", field=NOTE),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("centre__isnull", False)),
                fields=["centre", "starts_on"],
                name="activity_centre_date_idx",
            ),
        ),
        migrations.RunPython(link, unlink),
    ]
