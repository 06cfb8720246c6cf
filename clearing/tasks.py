"""The clearing app's periodic task (CELERY_BEAT_SCHEDULE; core.tasks has the rules)."""

from core.tasks import minga_task


@minga_task
def clearing_run_monthly() -> list[int]:
    """Propose (and, if the setting allows, execute) the month's clearing run per currency;
    idempotent: one run per currency and month (manage.py clearing_monthly)."""
    from clearing.services import clearing_runs_monthly

    return [run.pk for run in clearing_runs_monthly()]
