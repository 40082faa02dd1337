"""What the platform itself contributes: the front door, which sends every signed-in user
on, the work list of every user who has some kind of work, and the audit log of the
district administrator and the audit administrator."""

from django.urls import reverse

from accounts.roles import Role
from canlian.declarations import AppDeclaration, NavEntry, ScopedUrl, permitted, work_kinds
from canlian.worklist import has_work

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


def _first_kind():
    return work_kinds()[0]


def _kind_page(world) -> tuple[str, None]:
    """One kind's page (the first declared: the walk opens each pattern once); every kind's
    page is opened by every role in canlian/tests/test_worklist_scope.py."""
    return reverse("worklist:kind", args=[_first_kind().key]), None


declaration = AppDeclaration(
    nav=(
        NavEntry("worklist:list", "我的待办", has_work, 5),
        NavEntry("audit:entry_list", "审计日志", "canlian.view_auditentry", 110),
    ),
    role_permissions={Role.DISTRICT_ADMIN: AUDIT, Role.AUDIT_ADMIN: AUDIT},
    urls={
        "home": ScopedUrl(None, ok=302),
        "centre_home": ScopedUrl(None),
        # Lines of persons in the user's scope only: the walk checks no other town's shows.
        "worklist:list": ScopedUrl(has_work),
        "worklist:kind": ScopedUrl(lambda user: permitted(user, _first_kind().permission), _kind_page, scope="none"),
        "audit:entry_list": ScopedUrl("canlian.view_auditentry"),
        "audit:entry_export": ScopedUrl("canlian.view_auditentry"),
        "exports:status": ScopedUrl(None, _exports("exports:status"), scope="owner"),
        "exports:download": ScopedUrl(None, _exports("exports:download"), scope="owner"),
    },
    # A background export's progress shares the work's connection on SQLite; the retention
    # reads the jobs' JSON report, which each database queries its own way.
    sqlite_tests=(
        "tests/test_exporting.py",
        "tests/test_export_jobs.py",
        "tests/test_export_retention.py",
        # The home page of the demo: its dates due are computed in SQL each database's way.
        "tests/test_worklist.py",
    ),
)
