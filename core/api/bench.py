"""The benchmark baseline (benchmarks/README.md): a constant JSON body through Django's
middleware and DRF, no database, no authentication. It measures the ceiling of the stack on a
machine; it is mounted only when MINGA_BENCH_BASELINE is on (config/urls.py), so production does
not expose it."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

BASELINE_BODY = {
    "count": 1,
    "next": None,
    "previous": None,
    "results": [{"id": 1, "title": "A constant body", "price_amount": 1250, "currency": "EUR"}],
}


@extend_schema(exclude=True)
class BenchBaselineView(APIView):
    authentication_classes: list = []  # no session or token lookup: nothing touches the database
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def get(self, request: Request) -> Response:
        return Response(BASELINE_BODY)
