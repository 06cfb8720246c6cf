from django.urls import path

from ledger.api.views import JournalListView

urlpatterns = [
    path("ledger/journal/", JournalListView.as_view(), name="ledger-journal"),
]
