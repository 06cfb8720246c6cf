"""The Celery app: `celery -A config worker` and `celery -A config beat` (docs/operations.md).

Settings come from Django's settings, every name prefixed CELERY_ (config/settings/base.py);
each installed app's `tasks.py` is found by autodiscovery. With no broker configured (no
REDIS_URL, the embedded default of `make run`) tasks run eagerly in the process that enqueues them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("minga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
