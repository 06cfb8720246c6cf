from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.selectors import cooperative_get_for_member
from core.api.responses import INVALID, NOT_FOUND, UNAUTHENTICATED
from core.api.serializers import validated
from ledger import selectors
from ledger.api.serializers import JournalEntrySerializer, JournalQuerySerializer


class JournalListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = JournalEntrySerializer
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        query = validated(JournalQuerySerializer, self.request.query_params)
        cooperative = cooperative_get_for_member(user=self.request.user, slug=query["cooperative"])
        return selectors.journal_for(cooperative)

    @extend_schema(
        parameters=[JournalQuerySerializer],
        responses={
            200: JournalEntrySerializer(many=True),
            400: INVALID,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
        description="The journal entries of one of your cooperatives, newest first, each with "
        "the cooperative's own lines (integer minor units, debit +, credit −). Members only.",
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)
