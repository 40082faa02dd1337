"""What the platform itself contributes: the front door, which sends every signed-in user
on, and the audit log of the district administrator and the audit administrator."""

from django.urls import reverse

from accounts.roles import Role
from canlian.declarations import AppDeclaration, NavEntry, ScopedUrl

AUDIT = ("canlian.view_auditentry",)


def _exports(name: str):
    """A finished background export of the home officer and one of the other officer, each
    with its file: the job's creator alone opens its status and download."""

    def objects(world) -> tuple[str, str]:
        import xlsxwriter

        from canlian.export_jobs import JOB_KIND, export_folder
        from canlian.models import Job

        folder = export_folder()
        folder.mkdir(parents=True, exist_ok=True)
        urls = []
        for key in ("officer", "other_officer"):
            job = Job.objects.create(
                kind=JOB_KIND, title="持证残疾人名单", state=Job.State.DONE, created_by=world.users[key]
            )
            book = xlsxwriter.Workbook(str(folder / f"{job.pk}-walk.xlsx"))
            book.add_worksheet("名单")
            book.close()
            job.params = {"action": "registry.export"}
            job.report = {"file": f"{job.pk}-walk.xlsx", "filename": "名单.xlsx", "rows": 0, "log": {}}
            job.save(update_fields=["params", "report"])
            urls.append(reverse(name, args=[job.pk]))
        return tuple(urls)

    return objects


declaration = AppDeclaration(
    nav=(NavEntry("audit:entry_list", "审计日志", "canlian.view_auditentry", 110),),
    role_permissions={Role.DISTRICT_ADMIN: AUDIT, Role.AUDIT_ADMIN: AUDIT},
    urls={
        "home": ScopedUrl(None, ok=302),
        "centre_home": ScopedUrl(None),
        "audit:entry_list": ScopedUrl("canlian.view_auditentry"),
        "audit:entry_export": ScopedUrl("canlian.view_auditentry"),
        "exports:status": ScopedUrl(None, _exports("exports:status"), scope="owner"),
        "exports:download": ScopedUrl(None, _exports("exports:download"), scope="owner"),
    },
    # A background export's progress shares the work's connection on SQLite; the retention
    # reads the jobs' JSON report, which each database queries its own way.
    sqlite_tests=("tests/test_exporting.py", "tests/test_export_jobs.py", "tests/test_export_retention.py"),
)
