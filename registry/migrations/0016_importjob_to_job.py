"""Carry every registry.ImportJob over to canlian.Job, then drop ImportJob.

The person import and the comparison now run on the shared job model like every other
import. Each import job becomes a Job of the importer's kind (`registry.persons`,
`registry.events`) with its file and name as `params`, its state, row counts, message,
report (which already held the counts) and times as they were; the audit entries written
about an import job (refused, failed) are pointed at the Job it became. The jobs get new
numbers (canlian.Job's own), so their pages have new addresses (persons/import/jobs/<id>/).
Reversible: the Jobs of those kinds go back to ImportJob rows.
"""

from django.db import migrations

KINDS = {"persons": ("registry.persons", "导入人员名单"), "events": ("registry.events", "数据比对")}
COUNTS = ("created", "updated", "unchanged", "rejected")
# ImportJob's field -> Job's, for the fields that are the same in both but for their name.
SAME = {
    "state": "state",
    "processed_rows": "processed",
    "total_rows": "total",
    "message": "message",
    "report": "report",
    "created_by_id": "created_by_id",
    "finished_at": "finished_at",
    "heartbeat_at": "heartbeat_at",
}


def _audit_repoint(apps, db, moved: dict[int, int], *, source: tuple[str, str], target: tuple[str, str]) -> None:
    """Point the audit entries about the `source` model's rows at the `target` model's rows
    they became (`moved`: old pk -> new pk)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("canlian", "AuditEntry")
    old_type = ContentType.objects.using(db).filter(app_label=source[0], model=source[1]).first()
    if old_type is None or not moved:
        return
    new_type, _ = ContentType.objects.using(db).get_or_create(app_label=target[0], model=target[1])
    for old, new in moved.items():
        AuditEntry.objects.using(db).filter(content_type=old_type, object_id=str(old)).update(
            content_type=new_type, object_id=str(new)
        )


def import_jobs_to_jobs(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    Job = apps.get_model("canlian", "Job")
    db = schema_editor.connection.alias
    moved = {}
    for old in ImportJob.objects.using(db).order_by("pk").iterator():
        kind, heading = KINDS[old.kind]
        report = dict(old.report or {})
        if old.state == "done" and "counts" not in report:
            report["counts"] = {
                **{name: getattr(old, f"{name}_count") for name in COUNTS},
                "total": old.total_rows,
            }
        job = Job.objects.using(db).create(
            **{new: getattr(old, name) for name, new in SAME.items()},
            kind=kind,
            title=f"{heading}：{old.original_name}"[:200],
            params={"file": old.file.name, "name": old.original_name},
        )
        # created_at is auto_now_add, set on create: the upload's time is set after it.
        Job.objects.using(db).filter(pk=job.pk).update(created_at=old.created_at, report=report)
        moved[old.pk] = job.pk
    _audit_repoint(apps, db, moved, source=("registry", "importjob"), target=("canlian", "job"))


def jobs_to_import_jobs(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    Job = apps.get_model("canlian", "Job")
    db = schema_editor.connection.alias
    kinds = {kind: short for short, (kind, _) in KINDS.items()}
    moved = {}
    for job in Job.objects.using(db).filter(kind__in=kinds).order_by("pk").iterator():
        counts = (job.report or {}).get("counts", {})
        old = ImportJob.objects.using(db).create(
            **{name: getattr(job, new) for name, new in SAME.items()},
            **{f"{name}_count": counts.get(name, 0) for name in COUNTS},
            kind=kinds[job.kind],
            file=job.params.get("file", ""),
            original_name=job.params.get("name", "")[:200],
        )
        ImportJob.objects.using(db).filter(pk=old.pk).update(created_at=job.created_at)
        moved[job.pk] = old.pk
    _audit_repoint(apps, db, moved, source=("canlian", "job"), target=("registry", "importjob"))
    Job.objects.using(db).filter(pk__in=moved).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0015_importjob_heartbeat"),
        ("canlian", "0003_job_heartbeat"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(import_jobs_to_jobs, jobs_to_import_jobs),
        migrations.DeleteModel(name="ImportJob"),
    ]
