from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign in by e-mail, compared case-insensitively (the manager normalises the lookup)."""
