"""The quotes app's periodic tasks (CELERY_BEAT_SCHEDULE; core.tasks has the rules). Both are
idempotent: a closed quote is not closed again, a period is drafted once (a unique row)."""

from core.tasks import minga_task


@minga_task
def close_expired_quotes() -> int:
    """Close quotes past their validity and requests past their deadline (manage.py
    close_expired_quotes)."""
    from quotes.services import quotes_close_expired

    return quotes_close_expired()


@minga_task
def draft_standing_orders() -> int:
    """Draft every standing order's period that has begun (manage.py draft_standing_orders)."""
    from quotes.services import standing_orders_draft

    return standing_orders_draft()
