"""Throttles: DRF's scoped rates (in the cache: Redis when REDIS_URL is set), counted on writes."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle


class ScopedWriteRateThrottle(ScopedRateThrottle):
    """A scope's rate counts the requests that write: reading a thread is never throttled
    because somebody wrote too much in it."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
