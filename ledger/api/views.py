from rest_framework.permissions import IsAuthenticated

from cooperatives.selectors import cooperative_get_for_member
from core.api.responses import INVALID, NOT_FOUND, UNAUTHENTICATED
from core.api.views import DescribedListView
from ledger import selectors
from ledger.api.serializers import JournalEntrySerializer, JournalQuerySerializer


class JournalListView(DescribedListView):
    permission_classes = [IsAuthenticated]
    serializer_class = JournalEntrySerializer
    query_class = JournalQuerySerializer
    errors = {400: INVALID, 401: UNAUTHENTICATED, 404: NOT_FOUND}
    description = (
        "The journal entries of one of your cooperatives, newest first, each with "
        "the cooperative's own lines (integer minor units, debit +, credit −). Members only."
    )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        slug = self.query()["cooperative"]
        return selectors.journal_for(cooperative_get_for_member(user=self.request.user, slug=slug))
