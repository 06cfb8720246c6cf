"""Project configuration. The Celery app is loaded with Django, so `@shared_task` tasks bind to it
and `transaction.on_commit(task.delay)` reaches the configured broker (config/celery.py)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
