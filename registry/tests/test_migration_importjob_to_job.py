"""registry 0016: every ImportJob becomes a canlian.Job of its importer's kind, with its file,
state, counts, report and times, and the audit entries about it follow it; ImportJob goes."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

MIGRATION = importlib.import_module("registry.migrations.0016_importjob_to_job")
pytestmark = pytest.mark.django_db

BEFORE = [("registry", "0015_importjob_heartbeat"), ("canlian", "0003_job_heartbeat")]
REPORT = {
    "columns": ["姓名"],
    "rejected": [{"row": 2, "values": ["x"], "reasons": [{"column": "姓名", "message": "姓名不能为空"}]}],
    "warnings": [],
}


def test_import_jobs_are_carried_over_to_jobs_with_their_audit_entries(users):
    """The migration's own step (`import_jobs_to_jobs`), on the state before it: the
    ImportJob table is made for the test inside its transaction, which takes it away again.
    Migrating the database back to 0015 would unapply every later migration of every app
    (a minute of the suite, growing with each migration)."""
    uploaded = timezone.now() - datetime.timedelta(days=30)
    loader = MigrationLoader(connection)
    apps = loader.project_state(BEFORE).apps
    ImportJob = apps.get_model("registry", "ImportJob")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("canlian", "AuditEntry")
    with connection.schema_editor(atomic=False) as editor:
        editor.create_model(ImportJob)
    persons = ImportJob.objects.create(
        kind="persons", file="imports/2025/01/a.xlsx", original_name="白沙.xlsx", state="done",
        total_rows=3, processed_rows=3, created_count=1, updated_count=1, rejected_count=1,
        message="新增 1，更新 1，未变 0，拒绝 1", report=REPORT, created_by_id=users["officer"].pk,
        finished_at=uploaded,
    )  # fmt: skip
    events = ImportJob.objects.create(
        kind="events", file="imports/2025/01/b.xlsx", original_name="死亡名单.xlsx", state="refused",
        message="缺少必需的列：日期", created_by_id=users["officer"].pk, finished_at=uploaded,
    )  # fmt: skip
    ImportJob.objects.filter(pk__in=[persons.pk, events.pk]).update(created_at=uploaded)
    old_type, _ = ContentType.objects.get_or_create(app_label="registry", model="importjob")
    AuditEntry.objects.create(
        action="registry.import.refused", user_id=users["officer"].pk, content_type=old_type,
        object_id=str(events.pk), data={"message": "缺少必需的列：日期"},
    )  # fmt: skip
    with connection.schema_editor(atomic=False) as editor:
        MIGRATION.import_jobs_to_jobs(apps, editor)
        if connection.vendor == "postgresql":
            editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks, before the drop
        editor.delete_model(ImportJob)

    from canlian.models import AuditEntry, Job

    done, refused = Job.objects.order_by("pk")
    assert (done.kind, done.title, done.params) == (
        "registry.persons",
        "导入人员名单：白沙.xlsx",
        {"file": "imports/2025/01/a.xlsx", "name": "白沙.xlsx"},
    )
    assert (done.state, done.processed, done.total, done.created_by) == ("done", 3, 3, users["officer"])
    assert done.report == {**REPORT, "counts": {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1, "total": 3}}
    assert done.created_at == uploaded and done.finished_at == uploaded
    assert (refused.kind, refused.state, refused.message) == ("registry.events", "refused", "缺少必需的列：日期")
    entry = AuditEntry.objects.get(action="registry.import.refused")
    assert (entry.content_type.model_class(), entry.object_id) == (Job, str(refused.pk))
    assert "registry_importjob" not in connection.introspection.table_names()
