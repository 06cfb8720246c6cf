"""Writes of receivables: payments against an invoice, the buyer's payment notices, due dates,
write-offs, overdue marking and reminders.

Lock order, as every order service: the order row, then its invoice. A cancellation (which
credits the invoice) and a payment therefore never interleave: one of them sees the other's
outcome. The invoice's `amount_paid <= amount_due` is also a database constraint.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import MANAGING_ROLES
from cooperatives.permissions import ensure_active, role_in
from core.errors import DomainError, NotPermitted
from core.text import MAX_REASON_LENGTH
from core.uploads import check_document, upload_rate_check
from orders import notifications
from orders.events import EventKind
from orders.models import MAX_AMOUNT, Invoice, InvoiceKind, Order
from orders.payments.execution import add_order_event
from orders.payments.rails import rail_for
from orders.receivables import books, credit
from orders.receivables.models import (
    InvoiceEvent,
    InvoicePayment,
    InvoiceReminder,
    PaymentNotice,
)
from orders.receivables.state import (
    MANUAL_RAILS,
    SELF_POSTED_RAILS,
    UNPAID,
    InvoiceStatus,
    PaymentRail,
    ReminderKind,
    ensure_invoice_transition,
    ensure_notice_transition,
)
from orders.selectors import invoice_issued_on
from orders.state import Side

MAX_REFERENCE_LENGTH = 120
# Reminders before the due date go this many days ahead of it.
REMINDER_DAYS_BEFORE = 3


def _payment_terms_days(order: Order) -> int:
    if order.payment_terms_days is not None:
        return int(order.payment_terms_days)
    return int(order.seller.payment_terms_days)


def receivable_fields(order: Order, kind: str, issued_on: date) -> dict[str, Any]:
    """What a newly issued document owes: an invoice its total by the order's agreed terms (a
    quote or an agreement set them), else the seller's usual ones (a card order is paid before it
    is accepted, so its invoice is paid); a credit note nothing."""
    if kind == InvoiceKind.CREDIT_NOTE:
        return {"amount_due": 0, "amount_paid": 0, "status": InvoiceStatus.CREDITED}
    is_paid = rail_for(order.payment_method).paid_up_front
    # Part of an invoice order may have been paid in mutual credit before the invoice.
    paid = order.total_amount if is_paid else credit.order_credit_before_invoice(order)
    if is_paid or (paid and paid == order.total_amount):
        status = InvoiceStatus.PAID
    else:
        status = InvoiceStatus.PARTLY_PAID if paid else InvoiceStatus.OPEN
    return {
        "due_date": issued_on + timedelta(days=_payment_terms_days(order)),
        "amount_due": order.total_amount,
        "amount_paid": paid,
        "status": status,
    }


def _move(invoice: Invoice, action: str, *, actor: Any, amount: int = 0, note: str = "") -> None:
    previous = invoice.status
    invoice.status = ensure_invoice_transition(action, previous)
    invoice.save(update_fields=["status", "amount_paid", "due_date"])
    InvoiceEvent.objects.create(
        invoice=invoice,
        action=action,
        from_status=previous,
        to_status=invoice.status,
        amount=amount,
        actor=actor,
        note=note,
    )


def _lock(invoice: Invoice) -> tuple[Order, Invoice]:
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("buyer", "seller")
        .get(pk=invoice.order_id)
    )
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    invoice.order = order
    return order, invoice


def _manages(user: Any, cooperative: Any) -> bool:
    return role_in(user, cooperative) in MANAGING_ROLES


def _ensure_seller(actor: Any, order: Order, what: str) -> None:
    if not _manages(actor, order.seller):
        raise NotPermitted(what)
    ensure_active(order.seller, "mark_paid")


def clean_text(value: str, field: str, limit: int) -> str:
    """The text without its surrounding blanks, at most `limit` characters (else a 400 on `field`)."""
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: [_("At most %(limit)s characters.") % {"limit": limit}]})
    return value


def check_payment(amount: Any, paid_on: Any, rail: str, today: date) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise ValidationError(
            {"amount": [_("A whole number of minor units (cents), more than zero.")]}
        )
    if not isinstance(paid_on, date) or paid_on > today:
        raise ValidationError({"paid_on": [_("The day it was paid; not a day in the future.")]})
    if rail not in dict(MANUAL_RAILS):
        raise ValidationError({"rail": [_("Choose how it was paid.")]})


def _ensure_open_for(invoice: Invoice, order: Order, amount: int) -> None:
    if invoice.kind != InvoiceKind.INVOICE or not rail_for(order.payment_method).seller_marks_paid:
        raise DomainError(
            _("Card payments are marked paid by the payment provider."), code="not_invoiced"
        )
    if invoice.status not in UNPAID:
        ensure_invoice_transition("pay", invoice.status)  # refuses, naming the status
    if amount > invoice.amount_left:
        raise DomainError(
            _(
                "That is more than is left to pay on this invoice (%(left)s minor units); "
                "nothing was recorded."
            )
            % {"left": invoice.amount_left},
            code="overpayment",
        )


@dataclass(frozen=True)
class Recorded:
    payment: InvoicePayment
    is_replay: bool


def _replay(invoice: Invoice, key: str, values: dict[str, Any]) -> Recorded | None:
    if not key:
        return None
    first = InvoicePayment.objects.filter(invoice=invoice, idempotency_key=key).first()
    if first is None:
        return None
    if any(getattr(first, field) != value for field, value in values.items()):
        raise DomainError(
            _("This Idempotency-Key was used for a different payment."),
            code="idempotency_key_reused",
        )
    return Recorded(first, True)


def _record(
    order: Order, invoice: Invoice, *, actor: Any, key: str, note: str, **values: Any
) -> InvoicePayment:
    """Record a checked payment on the locked invoice: its status, events and books (a set-off
    is posted by its clearing run, one entry for all its invoices)."""
    payment = InvoicePayment.objects.create(
        invoice=invoice, recorded_by=actor, idempotency_key=key, **values
    )
    amount = values["amount"]
    invoice.amount_paid += amount
    if invoice.amount_paid == invoice.amount_due:
        action = "pay"
    elif invoice.status == InvoiceStatus.OVERDUE:
        action = "pay_part_late"
    else:
        action = "pay_part"
    _move(invoice, action, actor=actor, amount=amount, note=note)
    if payment.rail not in SELF_POSTED_RAILS:
        books.payment_recorded(payment)
    is_paid = action == "pay"
    if is_paid:
        order.paid_at = timezone.now()
        order.save(update_fields=["paid_at", "updated_at"])
    add_order_event(
        order,
        EventKind.MARKED_PAID if is_paid else EventKind.PAYMENT_RECORDED,
        note,
        reference=values.get("reference", ""),
        actor=actor,
        side=Side.SELLER,
    )
    if is_paid:
        notifications.notify_order_paid(order)
    return payment


@transaction.atomic
def invoice_payment_record(
    *,
    invoice: Invoice,
    actor: Any,
    amount: int,
    paid_on: date | None = None,
    reference: str = "",
    rail: str = PaymentRail.BANK_TRANSFER,
    idempotency_key: str = "",
    note: str = "",
) -> Recorded:
    """The seller records money received against the invoice, part or all of what is left.
    A retry with the same Idempotency-Key and values returns the first payment."""
    today = timezone.localdate()
    paid_on = paid_on or today
    reference = clean_text(reference, "reference", MAX_REFERENCE_LENGTH)
    note = clean_text(note, "note", MAX_REASON_LENGTH)
    key = clean_text(idempotency_key, "idempotency_key", 255)
    check_payment(amount, paid_on, rail, today)
    order, invoice = _lock(invoice)
    _ensure_seller(actor, order, _("Only the seller's owners and admins record payments."))
    values = {"amount": amount, "paid_on": paid_on, "reference": reference, "rail": rail}
    replay = _replay(invoice, key, values)
    if replay is not None:
        return replay
    _ensure_open_for(invoice, order, amount)
    return Recorded(_record(order, invoice, actor=actor, key=key, note=note, **values), False)


def invoice_setoff_record(
    *, order: Order, invoice: Invoice, actor: Any, amount: int, reference: str, key: str
) -> InvoicePayment:
    """A clearing run compensates `amount` of the invoice against other invoices. The caller
    holds the locks of the order and the invoice, checked that the amount is still left, and
    posts the run's one ledger entry (clearing.services)."""
    values = {
        "amount": amount,
        "paid_on": timezone.localdate(),
        "reference": reference,
        "rail": PaymentRail.SET_OFF,
    }
    _ensure_open_for(invoice, order, amount)
    return _record(order, invoice, actor=actor, key=key, note="", **values)


@transaction.atomic
def invoice_pay_in_credit(
    *, invoice: Invoice, actor: Any, amount: int, idempotency_key: str = ""
) -> Recorded:
    """The buyer pays part or all of what is left of an open invoice with mutual credit: one
    balanced entry moves the credits and shrinks the debt, or nothing happens (409 naming the
    limit). The seller must have joined the currency's credit system. A retry with the same
    Idempotency-Key and amount returns the first payment."""
    key = clean_text(idempotency_key, "idempotency_key", 255)
    credit.clean_credit_amount(amount)
    order, invoice = _lock(invoice)
    if not _manages(actor, order.buyer):
        raise NotPermitted(_("Only the buyer's owners and admins pay its invoices."))
    ensure_active(order.buyer, "checkout")
    values: dict[str, Any] = {"amount": amount, "rail": PaymentRail.CREDIT}
    replay = _replay(invoice, key, values)
    if replay is not None:
        return replay
    _ensure_open_for(invoice, order, amount)
    credit.ensure_credit_share(order, amount)
    values.update(paid_on=timezone.localdate(), reference=_("Mutual credit"))
    payment = _record(order, invoice, actor=actor, key=key, note="", **values)
    books.credit_payment_posted(payment)
    return Recorded(payment, False)


def invoice_pay_remaining(*, order: Order, actor: Any, note: str = "") -> None:
    """ "Mark paid": the seller records what is left of the order's invoice (the caller holds the
    order's lock and checked the refusal rule)."""
    invoice = order.invoices.filter(kind=InvoiceKind.INVOICE).first()
    if invoice is None:
        # An order accepted before invoices existed: marked paid without a receivable.
        order.paid_at = timezone.now()
        order.save(update_fields=["paid_at", "updated_at"])
        add_order_event(order, EventKind.MARKED_PAID, note, actor=actor, side=Side.SELLER)
        books.marked_paid_without_invoice(order)
        notifications.notify_order_paid(order)
        return
    _order, invoice = _lock(invoice)
    _ensure_open_for(invoice, order, invoice.amount_left)
    _record(
        order,
        invoice,
        actor=actor,
        key="",
        note=note,
        amount=invoice.amount_left,
        paid_on=timezone.localdate(),
        reference="",
        rail=PaymentRail.BANK_TRANSFER,
    )


def invoice_credit(*, order: Order, actor: Any) -> None:
    """A credit note was issued for the order (the caller holds its lock): its invoice is no
    longer owed."""
    invoice = order.invoices.select_for_update().filter(kind=InvoiceKind.INVOICE).first()
    if invoice is not None and invoice.status != InvoiceStatus.CREDITED:
        _move(invoice, "credit", actor=actor, note=_("Credit note issued."))


@transaction.atomic
def invoice_write_off(*, invoice: Invoice, actor: Any, reason: str) -> Invoice:
    reason = clean_text(reason, "reason", MAX_REASON_LENGTH)
    order, invoice = _lock(invoice)
    _ensure_seller(actor, order, _("Only the seller's owners and admins write invoices off."))
    if not reason:
        raise ValidationError({"reason": [_("Say why the invoice will not be paid.")]})
    _move(invoice, "write_off", actor=actor, note=reason)
    add_order_event(order, EventKind.WRITTEN_OFF, reason, actor=actor, side=Side.SELLER)
    return invoice


@transaction.atomic
def invoice_set_due_date(*, invoice: Invoice, actor: Any, due_date: date) -> Invoice:
    """The seller gives this order other terms than its default; an overdue invoice given a
    later date is open again."""
    order, invoice = _lock(invoice)
    _ensure_seller(actor, order, _("Only the seller's owners and admins change the due date."))
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in UNPAID:
        ensure_invoice_transition("fall_due", invoice.status)
    if not isinstance(due_date, date) or due_date < invoice_issued_on(invoice):
        raise ValidationError({"due_date": [_("A day on or after the invoice's date.")]})
    invoice.due_date = due_date
    if invoice.status == InvoiceStatus.OVERDUE and due_date >= timezone.localdate():
        invoice.status = InvoiceStatus.PARTLY_PAID if invoice.amount_paid else InvoiceStatus.OPEN
        InvoiceEvent.objects.create(
            invoice=invoice,
            action="extend",
            from_status=InvoiceStatus.OVERDUE,
            to_status=invoice.status,
            actor=actor,
        )
    invoice.save(update_fields=["due_date", "status"])
    return invoice


def invoices_mark_overdue(*, today: date | None = None) -> list[int]:
    """Invoices past their due date and not paid become overdue (each in its own transaction)."""
    today = today or timezone.localdate()
    late = list(
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE,
            status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID],
            due_date__lt=today,
        ).values_list("pk", flat=True)
    )
    marked = []
    for pk in late:
        with transaction.atomic():
            _order, invoice = _lock(Invoice.objects.get(pk=pk))
            if invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID):
                _move(invoice, "fall_due", actor=None)
                marked.append(pk)
    return marked


# Payment notices --------------------------------------------------------------------------


@transaction.atomic
def payment_notice_send(
    *,
    invoice: Invoice,
    actor: Any,
    amount: int,
    proof: UploadedFile | None,
    paid_on: date | None = None,
    reference: str = "",
    rail: str = PaymentRail.BANK_TRANSFER,
) -> PaymentNotice:
    """The buyer tells the seller it paid, with a proof (a PDF or an image)."""
    today = timezone.localdate()
    paid_on = paid_on or today
    reference = clean_text(reference, "reference", MAX_REFERENCE_LENGTH)
    check_payment(amount, paid_on, rail, today)
    order, invoice = _lock(invoice)
    if not _manages(actor, order.buyer):
        raise NotPermitted(_("Only the buyer's owners and admins send payment notices."))
    if proof is None:
        raise ValidationError({"proof": [_("Attach the proof of payment (PDF or image).")]})
    _ensure_open_for(invoice, order, amount)
    upload_rate_check(user_id=actor.pk, cooperative_id=order.buyer_id)
    try:
        content_type = check_document(proof)
    except ValidationError as exc:
        raise ValidationError({"proof": exc.messages}) from exc
    notice = PaymentNotice(
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        rail=rail,
        proof_name=(proof.name or "proof")[:255],
        proof_content_type=content_type,
        sent_by=actor,
    )
    notice.proof.save("proof", proof, save=False)
    notice.save()
    notifications.notify_cooperative(
        order.seller,
        lambda: (
            _("Payment notice for invoice %(number)s") % {"number": invoice.number},
            _(
                "%(buyer)s says it paid part or all of invoice %(number)s. Confirm or reject it: "
                "%(url)s"
            )
            % {
                "buyer": order.buyer.name,
                "number": invoice.number,
                "url": notifications.order_url(order),
            },
        ),
    )
    return notice


def _decide(notice: PaymentNotice, action: str, actor: Any) -> tuple[Order, Invoice, PaymentNotice]:
    order, invoice = _lock(notice.invoice)
    notice = PaymentNotice.objects.select_for_update().get(pk=notice.pk)
    _ensure_seller(actor, order, _("Only the seller's owners and admins decide payment notices."))
    notice.status = ensure_notice_transition(action, notice.status)
    notice.decided_by = actor
    notice.decided_at = timezone.now()
    return order, invoice, notice


@transaction.atomic
def payment_notice_confirm(*, notice: PaymentNotice, actor: Any) -> PaymentNotice:
    """The seller saw the money: the notice's payment is recorded."""
    order, invoice, notice = _decide(notice, "confirm", actor)
    _ensure_open_for(invoice, order, notice.amount)
    notice.payment = _record(
        order,
        invoice,
        actor=actor,
        key="",
        note="",
        amount=notice.amount,
        paid_on=notice.paid_on,
        reference=notice.reference,
        rail=notice.rail,
    )
    notice.save()
    return notice


@transaction.atomic
def payment_notice_reject(*, notice: PaymentNotice, actor: Any, reason: str) -> PaymentNotice:
    reason = clean_text(reason, "reason", MAX_REASON_LENGTH)
    if not reason:
        raise ValidationError({"reason": [_("Say why: the buyer reads it.")]})
    order, invoice, notice = _decide(notice, "reject", actor)
    notice.reason = reason
    notice.save()
    notifications.notify_cooperative(
        order.buyer,
        lambda: (
            _("Payment notice for invoice %(number)s rejected") % {"number": invoice.number},
            _("%(seller)s did not find your payment for invoice %(number)s: %(reason)s")
            % {"seller": order.seller.name, "number": invoice.number, "reason": reason},
        ),
    )
    return notice


# Reminders --------------------------------------------------------------------------------


def _remind(invoice: Invoice, kind: str) -> bool:
    """Send one reminder of this kind for the invoice unless one was sent: the row is taken in
    the transaction, the e-mail leaves after commit."""
    try:
        with transaction.atomic():
            InvoiceReminder.objects.create(invoice=invoice, kind=kind)
            order = invoice.order
            left = invoice.amount_left

            def compose() -> tuple[str, str]:
                from core.money import Money

                money = Money(left, invoice.currency).format(notifications._reader())
                words = {
                    "number": invoice.number,
                    "seller": invoice.seller_name,
                    "left": money,
                    "due": invoice.due_date.isoformat() if invoice.due_date else "",
                    "url": f"{settings.SITE_URL}/invoices/{invoice.pk}/",
                }
                if kind == ReminderKind.BEFORE_DUE:
                    return (
                        _("Invoice %(number)s is due on %(due)s") % words,
                        _(
                            "%(left)s is left to pay to %(seller)s on invoice %(number)s, due on "
                            "%(due)s. How to pay: %(url)s"
                        )
                        % words,
                    )
                return (
                    _("Invoice %(number)s is overdue") % words,
                    _(
                        "%(left)s is left to pay to %(seller)s on invoice %(number)s, due on "
                        "%(due)s. How to pay: %(url)s"
                    )
                    % words,
                )

            notifications.notify_cooperative(order.buyer, compose)
    except IntegrityError:
        return False
    return True


def invoice_reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Mark late invoices overdue, then remind buyers of what falls due soon and of what is late;
    re-running sends nothing twice (one reminder row per invoice and kind)."""
    today = today or timezone.localdate()
    invoices_mark_overdue(today=today)
    sent = {ReminderKind.BEFORE_DUE.value: 0, ReminderKind.OVERDUE.value: 0}
    unpaid = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, status__in=UNPAID, due_date__isnull=False
    ).select_related("order__buyer")
    soon = unpaid.filter(
        status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID],
        due_date__gte=today,
        due_date__lte=today + timedelta(days=REMINDER_DAYS_BEFORE),
    ).exclude(reminders__kind=ReminderKind.BEFORE_DUE)
    late = unpaid.filter(status=InvoiceStatus.OVERDUE).exclude(reminders__kind=ReminderKind.OVERDUE)
    for kind, invoices in ((ReminderKind.BEFORE_DUE, soon), (ReminderKind.OVERDUE, late)):
        for invoice in invoices.order_by("pk"):
            if _remind(invoice, kind):
                sent[kind.value] += 1
    return sent
