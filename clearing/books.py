"""What an executed clearing run posts (docs/ledger.md, `set_off`), with the rule
`orders.books.set_off`, and the run's entries re-derived for `ledger_check`: `orders` sits below
`clearing` and cannot import it, so `ClearingConfig.ready` adds `postings_from_runs` to the
sources of `orders.books_check`."""

from collections.abc import Iterable, Iterator

from clearing.models import ClearingItem, ClearingRun
from orders import books


def run_posting(run: ClearingRun, items: Iterable[ClearingItem]) -> books.Posting | None:
    """One entry per executed run (key `clearing_run:{id}`): each invoice's set-off shrinks its
    buyer's debt and its seller's claim. None when the run clears nothing."""
    return books.set_off(
        currency=run.currency,
        key=f"clearing_run:{run.pk}",
        setoffs=[(item.invoice.order, item.setoff_amount) for item in items],
        memo=f"Clearing run #{run.pk}",
        source=run,
    )


def postings_from_runs() -> Iterator[books.Posting]:
    """The entries of every executed run, from its items."""
    related = ("invoice__order__buyer", "invoice__order__seller")
    for run in ClearingRun.objects.filter(executed_at__isnull=False).order_by("pk"):
        items = run.items.select_related(*related).order_by("invoice_id")
        posting = run_posting(run, items)
        if posting is not None:
            yield posting
