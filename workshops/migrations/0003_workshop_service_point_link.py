"""A workshop's service point becomes a foreign key to employment's network (ServicePoint),
as planned when it was kept as text. The text moves to `service_point_note`; a text that
is the code, or the one name, of a point of the network links the workshop to that point
and is cleared; any other stays in the note, which the pages show marked as not linked.
Unapplied, a linked point's name goes back into the text."""

import django.db.models.deletion
from django.db import migrations, models


def link(apps, schema_editor):
    ServicePoint = apps.get_model("employment", "ServicePoint")
    Workshop = apps.get_model("workshops", "Workshop")
    by_code = {p.code: p for p in ServicePoint.objects.all()}
    by_name: dict[str, list] = {}
    for point in by_code.values():
        by_name.setdefault(point.name, []).append(point)
    for workshop in Workshop.objects.exclude(service_point_note=""):
        text = workshop.service_point_note.strip()
        named = by_name.get(text, [])
        point = by_code.get(text) or (named[0] if len(named) == 1 else None)
        if point is not None:
            workshop.service_point, workshop.service_point_note = point, ""
            workshop.save(update_fields=["service_point", "service_point_note"])


def unlink(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    for workshop in Workshop.objects.filter(service_point__isnull=False, service_point_note="").select_related(
        "service_point"
    ):
        workshop.service_point_note = workshop.service_point.name
        workshop.save(update_fields=["service_point_note"])


NOTE = models.CharField(
    blank=True,
    help_text="关联就业服务网点之前以文字登记、未能对应到网点的服务点；选定所属就业服务点后请清空",
    max_length=100,
    verbose_name="原登记的服务点",
)


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0002_network_and_scheme"),
        ("workshops", "0002_sale_void"),
    ]

    operations = [
        migrations.RenameField(model_name="workshop", old_name="service_point", new_name="service_point_note"),
        migrations.RenameField(model_name="historicalworkshop", old_name="service_point", new_name="service_point_note"),
        migrations.AlterField(model_name="workshop", name="service_point_note", field=NOTE),
        migrations.AlterField(model_name="historicalworkshop", name="service_point_note", field=NOTE),
        migrations.AddField(
            model_name="workshop",
            name="service_point",
            field=models.ForeignKey(
                blank=True,
                help_text="车间所属的就业服务网点（枢纽、平台或服务点）",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="employment.servicepoint",
                verbose_name="所属就业服务点",
            ),
        ),
        migrations.AddField(
            model_name="historicalworkshop",
            name="service_point",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="车间所属的就业服务网点（枢纽、平台或服务点）",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="employment.servicepoint",
                verbose_name="所属就业服务点",
            ),
        ),
        migrations.RunPython(link, unlink),
    ]
