"""Copy the access log into the audit log (canlian.AuditEntry), which replaces it."""

from django.db import migrations


def _export_app(detail: dict) -> str:
    """The app whose page wrote an export row: its detail is all that tells them apart."""
    filters = detail.get("filters") if isinstance(detail.get("filters"), dict) else {}
    if detail.get("what") == "rehab_records":
        return "rehab"
    if detail.get("export") == "indicators":
        return "targets"
    if filters.get("export") in ("eligibility", "bank_file") or "list" in detail:
        return "benefits"
    return "registry"


def _action(row) -> str:
    if row.action == "reveal":
        return "registry.identifiers.revealed"
    if row.action == "import":
        return f"{'benefits' if row.detail.get('kind') == 'awards' else 'registry'}.import"
    return f"{_export_app(row.detail)}.export"


def copy_access_log(apps, schema_editor):
    AccessLog = apps.get_model("accounts", "AccessLog")
    AuditEntry = apps.get_model("canlian", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    person_type, _ = ContentType.objects.get_or_create(app_label="registry", model="person")
    batch = []
    for row in AccessLog.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(
            AuditEntry(
                action=_action(row),
                user_id=row.user_id,
                content_type=person_type if row.person_id else None,
                object_id=str(row.person_id) if row.person_id else "",
                person_id=row.person_id,
                created_at=row.created_at,
                data=row.detail,
            )
        )
        if len(batch) == 2000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("canlian", "0001_audit_entry"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_access_log, migrations.RunPython.noop)]
