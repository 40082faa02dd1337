"""Payroll generations run on the shared background job (canlian.Job): copy the runs."""

from django.db import migrations

def copy_runs(apps, schema_editor):
    PayrollRun = apps.get_model("benefits", "PayrollRun")
    Job = apps.get_model("canlian", "Job")
    for run in PayrollRun.objects.select_related("scheme").order_by("id").iterator():
        job = Job.objects.create(
            kind="benefits.payroll",
            title=f"{run.scheme.name} {run.month:%Y-%m}",
            params={"scheme": run.scheme_id, "month": run.month.isoformat()},
            state=run.state,  # the same four names
            processed=run.done_steps,
            total=run.total_steps,
            message=run.message,
            report={"batch": run.batch_id} if run.batch_id else {},
            created_by_id=run.created_by_id,
            finished_at=run.finished_at,
        )
        # created_at is auto_now_add: set the run's own time afterwards.
        Job.objects.filter(pk=job.pk).update(created_at=run.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0008_award_person_scheme_index"),
        ("canlian", "0002_job"),
    ]

    operations = [
        migrations.RunPython(copy_runs, migrations.RunPython.noop),
        migrations.DeleteModel(name="PayrollRun"),
    ]
