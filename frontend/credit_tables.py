"""The tables of the credit and clearing pages, as `frontend.views.common.Table`s drawn by one
include: each cell formatted for the reader (money and times as the templates' filters do)."""

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from clearing.models import ClearingRun
from clearing.selectors import SetoffStatement
from credit.models import CreditAccount, CreditSystem
from frontend.templatetags.minga import money, when
from frontend.views.common import Cell, Table, short_date
from ledger.selectors import StatementRow


def history_table(rows: Sequence[StatementRow]) -> Table:
    """A credit account's movements, newest first, with the balance after each."""
    return Table(
        labelled_by="history-heading",
        headings=[
            (_("Date"), False),
            (_("Reference"), False),
            (_("Amount"), True),
            (_("Balance"), True),
        ],
        rows=[
            [
                Cell(short_date(row.entry.occurred_at)),
                Cell(" · ".join(filter(None, [row.entry.get_kind_display(), row.entry.memo]))),
                Cell(money(row.amount, row.currency), is_num=True),
                Cell(money(row.balance, row.currency), is_num=True),
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
        headings=[
            (_("Cooperative"), False),
            (_("Balance"), True),
            (_("Credit line"), True),
            (_("Upper limit"), True),
        ],
        rows=[
            [
                Cell(
                    account.cooperative.name,
                    reverse("frontend:credit-committee-account", args=[account.pk]),
                ),
                Cell(money(getattr(account, "balance", 0) or 0, currency), is_num=True),
                Cell(money(account.lower_limit, currency), is_num=True),
                Cell(money(account.upper_limit, currency), is_num=True),
            ]
            for account in accounts
        ],
        empty=_("No member yet."),
    )


def runs_table(runs: Sequence[ClearingRun]) -> Table:
    return Table(
        labelled_by="runs-heading",
        headings=[
            (_("Run"), False),
            (_("Status"), False),
            (_("Proposed"), False),
            (_("Open invoices"), True),
            (_("Set off"), True),
        ],
        rows=[
            [
                Cell(
                    _("#%(id)s %(currency)s") % {"id": run.pk, "currency": run.currency},
                    reverse("frontend:clearing-run", args=[run.pk]),
                ),
                Cell(run.get_status_display()),
                Cell(when(run.created_at)),
                Cell(run.invoice_count, is_num=True),
                Cell(money(run.cleared_amount, run.currency), is_num=True),
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
            (_("Cooperative"), False),
            (_("Owed to it, before"), True),
            (_("Owing, before"), True),
            (_("Owed to it, after"), True),
            (_("Owing, after"), True),
        ],
        rows=[
            [
                Cell(
                    position.cooperative.name,
                    reverse("frontend:setoff-statement", args=[run.pk, position.cooperative.slug])
                    if executed
                    else "",
                ),
                *(
                    Cell(money(amount, run.currency), is_num=True)
                    for amount in (
                        position.owed_before,
                        position.owing_before,
                        position.owed_after,
                        position.owing_after,
                    )
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
        headings=[
            (_("Invoice"), False),
            (_("Owed by → to"), False),
            (_("Left"), True),
            (_("Set off"), True),
        ],
        rows=[
            [
                Cell(item.invoice.number),
                Cell(f"{item.debtor.name} → {item.creditor.name}"),
                Cell(money(item.amount_left, run.currency), is_num=True),
                Cell(money(item.setoff_amount, run.currency), is_num=True),
            ]
            for item in run.items.all()
        ],
        empty=_("Nothing can be set off: the open invoices form no circle."),
    )


def statement_table(statement: SetoffStatement) -> Table:
    currency = statement.run.currency
    return Table(
        labelled_by="statement-heading",
        headings=[
            (_("Invoice"), False),
            (_("Counterparty"), False),
            (_("Before"), True),
            (_("Set off"), True),
            (_("After"), True),
        ],
        rows=[
            [
                Cell(line.invoice.number),
                Cell(
                    f"{line.counterparty.name} · "
                    + (_("Owed to us") if line.is_owed_to_us else _("Owed by us"))
                ),
                Cell(money(line.amount_before, currency), is_num=True),
                Cell(money(line.setoff_amount, currency), is_num=True),
                Cell(money(line.amount_after, currency), is_num=True),
            ]
            for line in statement.lines
        ],
        empty=_("None of this cooperative's invoices was set off in this run."),
    )
