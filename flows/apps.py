from django.apps import AppConfig


class FlowsConfig(AppConfig):
    """No models: an app only so that `flows/admin.py` is discovered."""

    name = "flows"
    verbose_name = "Flows across apps"
