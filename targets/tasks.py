"""Background work of the targets: a thin wrapper around the indicator refresh."""

from django.db.models import Q
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend

from targets.services import indicators_refresh, indicators_refresh_part, readers_refresh_part, year_figures_ensure


@task()
def refresh_indicators(*, year: int, source: str | None = None, keys: list[str] | None = None) -> dict:
    """Recompute the indicators of `year` built on `source` (all when None)."""
    done = indicators_refresh(year=year, source=source, keys=keys)
    return {"year": year, "indicators": {r.indicator: r.rows for r in done}}


@task()
def refresh_indicators_part(
    *, year: int, source: str, towns: list[str] | None, months: list[int], sender: str | None = None
) -> dict:
    """Recompute only the towns and months a change touched (`indicator_refresh_part`)."""
    done = indicators_refresh_part(year=year, source=source, towns=towns, months=months, sender=sender)
    return {"year": year, "towns": towns, "months": months, "indicators": {r.indicator: r.rows for r in done}}


@task()
def refresh_readers_part(*, year: int, keys: list[str], towns: list[str]) -> dict:
    """Recompute other sources' stocks over the registry's persons in the towns a registry
    write named (`readers_refresh_part`)."""
    done = readers_refresh_part(year=year, keys=keys, towns=towns)
    return {"year": year, "towns": towns, "indicators": {r.indicator: r.rows for r in done}}


@task()
def compute_past_year(*, year: int) -> dict:
    """The figures of a past year asked for on the dashboard, computed once."""
    return {"year": year, "computed": year_figures_ensure(year=year)}


def refresh_waiting(*, year: int, source: str | None) -> bool:
    """Whether a refresh of `year` that covers `source` (its own, or of every source) is
    queued and not yet started: it will read the records when it starts, so it will see
    whatever was committed before this call. One that has started may have read them
    already, and does not count. Only the database backend keeps a queue to look at."""
    backend = refresh_indicators.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            backend_name=backend.alias,
            task_path=refresh_indicators.module_path,
            args_kwargs__kwargs__year=year,
        )
        .filter(Q(args_kwargs__kwargs__source=source) | Q(args_kwargs__kwargs__source=None))
        .exclude(args_kwargs__kwargs__has_key="keys")  # some indicators only
        .exists()
    )
