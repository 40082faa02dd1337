"""Background work of the targets: a thin wrapper around the indicator refresh."""

from django_tasks import task

from targets.services import indicators_refresh


@task()
def refresh_indicators(*, year: int, source: str | None = None, keys: list[str] | None = None) -> dict:
    """Recompute the indicators of `year` built on `source` (all when None)."""
    done = indicators_refresh(year=year, source=source, keys=keys)
    return {"year": year, "indicators": {r.indicator: r.rows for r in done}}
