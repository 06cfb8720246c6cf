"""The tables of the credit and clearing pages, as `frontend.views.common.Table`s drawn by one
include: each cell formatted for the reader (money and times as the templates' filters do)."""

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from clearing.models import ClearingRun
from clearing.selectors import SetoffStatement
from credit.models import CreditAccount, CreditSystem
from frontend.templatetags.minga import amounts, money, when
from frontend.views.common import Cell, Table, short_date
from ledger.selectors import StatementRow


def history_table(rows: Sequence[StatementRow]) -> Table:
    """A credit account's movements, newest first, with the balance after each."""
    return Table(
        labelled_by="history-heading",
        headings=[_("Date"), _("Reference"), _("Amount"), _("Balance")],
        numbers=2,
        rows=[
            [
                short_date(row.entry.occurred_at),
                " · ".join(filter(None, [row.entry.get_kind_display(), row.entry.memo])),
                *amounts(row.currency, row.amount, row.balance),
            ]
            for row in reversed(rows)
        ],
        empty=_("No movement yet."),
    )


def accounts_table(system: CreditSystem, accounts: Iterable[CreditAccount]) -> Table:
    """The committee's view of a system: each member's balance and limits."""
    currency = system.currency
    return Table(
        labelled_by=f"system-{system.pk}",
        headings=[_("Cooperative"), _("Balance"), _("Credit line"), _("Upper limit")],
        numbers=3,
        rows=[
            [
                Cell(
                    account.cooperative.name,
                    reverse("frontend:credit-committee-account", args=[account.pk]),
                ),
                *amounts(
                    currency,
                    getattr(account, "balance", 0) or 0,
                    account.lower_limit,
                    account.upper_limit,
                ),
            ]
            for account in accounts
        ],
        empty=_("No member yet."),
    )


def runs_table(runs: Sequence[ClearingRun]) -> Table:
    return Table(
        labelled_by="runs-heading",
        headings=[_("Run"), _("Status"), _("Proposed"), _("Open invoices"), _("Set off")],
        numbers=2,
        rows=[
            [
                Cell(
                    _("#%(id)s %(currency)s") % {"id": run.pk, "currency": run.currency},
                    reverse("frontend:clearing-run", args=[run.pk]),
                ),
                run.get_status_display(),
                when(run.created_at),
                run.invoice_count,
                money(run.cleared_amount, run.currency),
            ]
            for run in runs
        ],
        empty=_("No run yet."),
    )


def positions_table(run: ClearingRun, *, executed: bool) -> Table:
    """Per cooperative, owed and owing before and after; once executed, each name links to its
    set-off statement."""
    return Table(
        labelled_by="positions-heading",
        headings=[
            _("Cooperative"),
            _("Owed to it, before"),
            _("Owing, before"),
            _("Owed to it, after"),
            _("Owing, after"),
        ],
        numbers=4,
        rows=[
            [
                Cell(
                    position.cooperative.name,
                    reverse("frontend:setoff-statement", args=[run.pk, position.cooperative.slug])
                    if executed
                    else "",
                ),
                *amounts(
                    run.currency,
                    position.owed_before,
                    position.owing_before,
                    position.owed_after,
                    position.owing_after,
                ),
            ]
            for position in run.positions.all()
        ],
        empty=_("No open invoice in this currency."),
        stack=False,
        region=True,
    )


def items_table(run: ClearingRun) -> Table:
    return Table(
        labelled_by="items-heading",
        headings=[_("Invoice"), _("Owed by → to"), _("Left"), _("Set off")],
        numbers=2,
        rows=[
            [
                item.invoice.number,
                f"{item.debtor.name} → {item.creditor.name}",
                *amounts(run.currency, item.amount_left, item.setoff_amount),
            ]
            for item in run.items.all()
        ],
        empty=_("Nothing can be set off: the open invoices form no circle."),
    )


def statement_table(statement: SetoffStatement) -> Table:
    currency = statement.run.currency
    return Table(
        labelled_by="statement-heading",
        headings=[_("Invoice"), _("Counterparty"), _("Before"), _("Set off"), _("After")],
        numbers=3,
        rows=[
            [
                line.invoice.number,
                f"{line.counterparty.name} · "
                + (_("Owed to us") if line.is_owed_to_us else _("Owed by us")),
                *amounts(currency, line.amount_before, line.setoff_amount, line.amount_after),
            ]
            for line in statement.lines
        ],
        empty=_("None of this cooperative's invoices was set off in this run."),
    )
