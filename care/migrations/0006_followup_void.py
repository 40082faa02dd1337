"""Voiding a case's follow-up, and the risk level a case opened at (what a case falls
back to when its follow-ups are voided): the level before its first audited change, or
the current one for a case whose level never changed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def opened_risks(apps, schema_editor):
    CareCase = apps.get_model("care", "CareCase")
    AuditEntry = apps.get_model("canlian", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    CareCase.objects.update(opened_risk=models.F("risk"))
    content_type = ContentType.objects.filter(app_label="care", model="carecase").first()
    if content_type is None:
        return
    first: dict[str, str] = {}
    changes = AuditEntry.objects.filter(action="care.case.risk_changed", content_type=content_type)
    for object_id, data in changes.order_by("created_at", "id").values_list("object_id", "data"):
        first.setdefault(object_id, data.get("from", ""))
    for object_id, risk in first.items():
        if risk:
            CareCase.objects.filter(pk=int(object_id)).update(opened_risk=risk)


class Migration(migrations.Migration):
    dependencies = [
        ("canlian", "0001_audit_entry"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("care", "0005_cases_watches"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="casefollowup",
            options={
                "ordering": ["-followed_on", "-id"],
                "permissions": [("void_casefollowup", "作废个案随访")],
                "verbose_name": "个案随访",
                "verbose_name_plural": "个案随访",
            },
        ),
        migrations.AddField(
            model_name="carecase",
            name="opened_risk",
            field=models.CharField(
                choices=[("high", "高"), ("medium", "中"), ("low", "低")],
                default="high",
                editable=False,
                max_length=10,
                verbose_name="开案风险等级",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="casefollowup",
            name="void_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="作废原因"),
        ),
        migrations.AddField(
            model_name="casefollowup",
            name="voided_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="作废时间"),
        ),
        migrations.AddField(
            model_name="casefollowup",
            name="voided_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="作废人",
            ),
        ),
        migrations.RunPython(opened_risks, migrations.RunPython.noop),
    ]
