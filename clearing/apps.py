from django.apps import AppConfig


class ClearingConfig(AppConfig):
    name = "clearing"
    verbose_name = "Clearing"
