"""Requests for quotes and their quotes: publish, quote, counter, withdraw, talk, close, award.

Lock order: the request row, then its quotes in primary-key order. Turning an award into orders
is `orders.services.awards.rfq_award` (orders sit above quotes); it calls `rfq_lock_for_award`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import MANAGING_ROLES, Cooperative, Membership
from cooperatives.permissions import ensure_active, forget_roles, is_active_for, is_member
from core import uploads
from core.email import Email, send_emails
from core.errors import DomainError, NotFound, NotPermitted
from core.models import private_file_name
from core.reference import currency_codes
from core.timezones import format_when, written_for
from quotes import permissions
from quotes.models import (
    MAX_QUANTITY,
    Quote,
    QuoteEvent,
    QuoteLine,
    QuoteVersion,
    Rfq,
    RfqAttachment,
    RfqMessage,
    Side,
    Visibility,
)
from quotes.pricing import local_today
from quotes.services.events import log_status_change
from quotes.state import (
    LIVE_QUOTE,
    QuoteStatus,
    RfqStatus,
    ensure_quote_transition,
    ensure_rfq_transition,
)

MAX_LINES = 50
MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class QuoteLineInput:
    description: str
    quantity: int
    unit: str
    unit_price_amount: int


@dataclass(frozen=True)
class QuoteTerms:
    """What one version of a quote offers."""

    currency: str
    valid_until: date
    lead_time_days: int
    payment_terms_days: int
    lines: list[QuoteLineInput] = field(default_factory=list)
    credit_share_bps: int = 0
    note: str = ""

    @property
    def total_amount(self) -> int:
        """The sum of the lines, in minor units of `currency`."""
        return sum(line.quantity * line.unit_price_amount for line in self.lines)

    def offer(self) -> dict[str, Any]:
        """What a version stores on its own row: every term but the lines (rows of their own),
        and their total."""
        terms = {
            term.name: getattr(self, term.name) for term in fields(self) if term.name != "lines"
        }
        return {**terms, "total_amount": self.total_amount}


def _event(
    rfq: Rfq, action: str, before: str, after: str, actor: Any, quote: Quote | None = None
) -> QuoteEvent:
    return log_status_change(QuoteEvent, action, before, after, actor, rfq=rfq, quote=quote)


def seller_zone(seller: Cooperative) -> str:
    return seller.zone_name


@transaction.atomic
def rfq_publish(
    *,
    buyer: Cooperative,
    actor: Any,
    title: str,
    specification: str,
    quantity: int,
    unit: str,
    delivery_place: str,
    delivery_date: date,
    answers_due_at: datetime,
    visibility: str,
    invited: Iterable[Cooperative] = (),
    category: Any = None,
    region: str = "",
    is_single_award: bool = True,
    attachments: Iterable[UploadedFile] = (),
) -> Rfq:
    """Publish a request for quotes: privately to the cooperatives it names, or openly to a
    category (and region); sellers of that category hear of an open request after commit."""
    if not permissions.can_publish_rfq(actor, buyer):
        raise NotPermitted(_("Only owners and admins of the cooperative can ask for quotes."))
    ensure_active(buyer, "rfq")
    invited = [c for c in invited if c.pk != buyer.pk]
    files = list(attachments)
    kinds: list[str] = []  # the content type of each file, once checked
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the request a title.")]
    if not 1 <= quantity <= MAX_QUANTITY:
        errors["quantity"] = [_("The quantity is between 1 and 1,000,000.")]
    if answers_due_at <= timezone.now():
        errors["answers_due_at"] = [_("The deadline for answers must be in the future.")]
    if delivery_date < answers_due_at.date():
        errors["delivery_date"] = [_("Delivery cannot be before the deadline for answers.")]
    if visibility == Visibility.PRIVATE and not invited:
        errors["invited"] = [_("Name at least one cooperative to ask.")]
    # A suspended cooperative could not answer (quote_submit refuses it): say so now, not never.
    for cooperative in invited:
        if not is_active_for(cooperative, "quote"):
            errors.setdefault("invited", []).append(
                _(
                    "%(cooperative)s is suspended by the moderators and cannot answer requests "
                    "until it is reinstated: ask another cooperative."
                )
                % {"cooperative": cooperative.name}
            )
    if visibility == Visibility.OPEN and category is None:
        errors["category"] = [_("An open request names the category it is for.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose private or open.")]
    if len(files) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Attach at most 5 files.")]
    else:
        for upload in files:  # judged by content before anything is written
            try:
                kinds.append(uploads.check_document(upload))
            except ValidationError as exc:
                errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    rfq = Rfq.objects.create(
        buyer=buyer,
        title=title.strip(),
        specification=specification,
        quantity=quantity,
        unit=unit,
        delivery_place=delivery_place,
        delivery_date=delivery_date,
        answers_due_at=answers_due_at,
        visibility=visibility,
        category=category,
        region=region.strip() if visibility == Visibility.OPEN else "",
        is_single_award=is_single_award,
        created_by=actor,
    )
    if visibility == Visibility.PRIVATE:
        rfq.invited.set(invited)
    for upload, kind in zip(files, kinds, strict=True):
        attachment = RfqAttachment(rfq=rfq, name=(upload.name or "file")[:200], size=upload.size)
        attachment.file.save(private_file_name(str(rfq.pk), kind), upload, save=False)
        attachment.save()
    _event(rfq, "publish", "", RfqStatus.OPEN, actor)
    # Told: the cooperatives the request is now for, by the rule that lets them see it.
    sellers = list(permissions.rfq_sellers(rfq).values_list("pk", flat=True))
    transaction.on_commit(lambda: tell_sellers(rfq, sellers))
    return rfq


def tell_sellers(rfq: Rfq, seller_ids: list[int]) -> int:
    """E-mail the owners and admins of each seller, each in their own language, with the
    deadline in their own zone."""
    people = Membership.objects.filter(
        cooperative_id__in=seller_ids, role__in=MANAGING_ROLES, user__is_active=True
    ).values_list("user__email", "user__language", "user__time_zone")
    url = f"{settings.SITE_URL}/rfqs/{rfq.pk}/"
    emails = []
    for email, language, time_zone in sorted(set(people)):
        with written_for(language, time_zone):
            emails.append(
                Email(
                    email,
                    _("New request for quotes: %(title)s") % {"title": rfq.title},
                    _(
                        "%(buyer)s asks for quotes: %(title)s (%(quantity)s %(unit)s). "
                        "Answer by %(deadline)s: %(url)s"
                    )
                    % {
                        "buyer": rfq.buyer.name,
                        "title": rfq.title,
                        "quantity": rfq.quantity,
                        "unit": rfq.unit,
                        "deadline": format_when(rfq.answers_due_at),
                        "url": url,
                    },
                )
            )
    return send_emails(emails)


def _clean_terms(terms: QuoteTerms) -> None:
    """Validate a version's terms (a message per field)."""
    errors: dict[str, list[str]] = {}
    if terms.currency not in currency_codes():
        errors["currency"] = [_("Use an ISO 4217 currency code, like UYU or ARS.")]
    if not 1 <= len(terms.lines) <= MAX_LINES:
        errors["lines"] = [_("A quote has between 1 and 50 lines.")]
    for line in terms.lines:
        if not line.description.strip() or not 1 <= line.quantity <= MAX_QUANTITY:
            errors["lines"] = [_("Each line needs a description and a quantity of 1 or more.")]
        if line.unit_price_amount < 0:
            errors["lines"] = [_("A unit price cannot be negative.")]
    if terms.valid_until < timezone.localdate():
        errors["valid_until"] = [_("The quote must be valid until today or later.")]
    if not 0 <= terms.credit_share_bps <= 10_000:
        errors["credit_share_bps"] = [_("The credit share is between 0 and 100 %.")]
    if not 0 <= terms.payment_terms_days <= 365:
        errors["payment_terms_days"] = [_("Payment terms are between 0 and 365 days.")]
    if not 0 <= terms.lead_time_days <= 3650:
        errors["lead_time_days"] = [_("The lead time is between 0 and 3650 days.")]
    if errors:
        raise ValidationError(errors)


def _write_version(
    quote: Quote, number: int, side: str, terms: QuoteTerms, actor: Any
) -> QuoteVersion:
    version = QuoteVersion.objects.create(
        quote=quote,
        number=number,
        author_side=side,
        created_by=actor,
        **terms.offer(),
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(
            version=version,
            position=index,
            description=line.description.strip(),
            quantity=line.quantity,
            unit=line.unit,
            unit_price_amount=line.unit_price_amount,
        )
        for index, line in enumerate(terms.lines)
    )
    return version


def _lock_open_rfq(rfq: Rfq) -> Rfq:
    rfq = Rfq.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=rfq.pk)
    if rfq.status != RfqStatus.OPEN:
        raise DomainError(_("This request no longer takes quotes."), code="rfq_closed")
    return rfq


@transaction.atomic
def quote_submit(*, rfq: Rfq, seller: Cooperative, actor: Any, terms: QuoteTerms) -> Quote:
    """An invited (or matching) seller answers a request with its first version."""
    _clean_terms(terms)
    rfq = _lock_open_rfq(rfq)
    forget_roles(actor)
    if not permissions.can_quote(actor, rfq, seller):
        if is_member(actor, seller) and permissions.is_invited(rfq, seller):
            raise NotPermitted(_("Only owners and admins can quote for the cooperative."))
        raise NotFound(_("No such request."))
    ensure_active(seller, "quote")
    if rfq.answers_due_at <= timezone.now():
        raise DomainError(_("The deadline for answers has passed."), code="rfq_closed")
    if Quote.objects.filter(rfq=rfq, seller=seller).exists():
        raise DomainError(
            _("Your cooperative already quoted: send a new version as a counter."),
            code="quote_exists",
        )
    quote = Quote.objects.create(rfq=rfq, seller=seller, status=QuoteStatus.SUBMITTED)
    _write_version(quote, 1, Side.SELLER, terms, actor)
    _event(rfq, "quote", "", QuoteStatus.SUBMITTED, actor, quote)
    return quote


def _side(actor: Any, quote: Quote) -> str:
    if permissions.can_publish_rfq(actor, quote.rfq.buyer):
        return Side.BUYER
    if permissions.can_quote(actor, quote.rfq, quote.seller):
        return Side.SELLER
    if is_member(actor, quote.rfq.buyer) or is_member(actor, quote.seller):
        raise NotPermitted(_("Only owners and admins can negotiate for the cooperative."))
    raise NotFound(_("No such quote."))


@transaction.atomic
def quote_counter(*, quote: Quote, actor: Any, terms: QuoteTerms) -> QuoteVersion:
    """Either side answers with a new immutable version, a bounded number of times."""
    _clean_terms(terms)
    _lock_open_rfq(quote.rfq)
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("rfq__buyer", "seller")
        .get(pk=quote.pk)
    )
    forget_roles(actor)
    side = _side(actor, quote)
    # A suspended side negotiates no further (docs/security.md: `rfq` as buyer, `quote` as seller).
    if side == Side.BUYER:
        ensure_active(quote.rfq.buyer, "rfq")
    else:
        ensure_active(quote.seller, "quote")
    latest = quote.versions.aggregate(n=Max("number"))["n"] or 0
    if latest > quote.rfq.max_counters:
        raise DomainError(
            _(
                "This quote was countered %(count)s times, the most this request allows: "
                "award it or let it go."
            )
            % {"count": quote.rfq.max_counters},
            code="counter_limit_reached",
        )
    before = quote.status
    quote.status = ensure_quote_transition("counter" if side == Side.BUYER else "answer", before)
    quote.save(update_fields=["status", "updated_at"])
    version = _write_version(quote, latest + 1, side, terms, actor)
    _event(quote.rfq, "counter", before, quote.status, actor, quote)
    return version


@transaction.atomic
def quote_withdraw(*, quote: Quote, actor: Any) -> Quote:
    """The seller takes back its quote while the request is open."""
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("rfq__buyer", "seller")
        .get(pk=quote.pk)
    )
    forget_roles(actor)
    if _side(actor, quote) != Side.SELLER:
        raise NotPermitted(_("Only the seller can withdraw its quote."))
    before = quote.status
    quote.status = ensure_quote_transition("withdraw", before)
    quote.save(update_fields=["status", "updated_at"])
    _event(quote.rfq, "withdraw", before, quote.status, actor, quote)
    return quote


@transaction.atomic
def message_post(*, rfq: Rfq, seller: Cooperative, actor: Any, body: str) -> RfqMessage:
    """A message in the thread of the buyer and one seller; no one else reads it."""
    if not body.strip():
        raise ValidationError({"body": [_("Write a message.")]})
    if not permissions.is_invited(rfq, seller):  # a thread only with a seller the request is for
        raise NotFound(_("No such request."))
    if is_member(actor, rfq.buyer):
        side = Side.BUYER
    elif is_member(actor, seller):
        side = Side.SELLER
    else:
        raise NotFound(_("No such request."))
    return RfqMessage.objects.create(
        rfq=rfq, seller=seller, author_side=side, author=actor, body=body.strip()
    )


def rfq_lock_for_award(
    *, rfq: Rfq, actor: Any, awards: list[tuple[int, int | None]]
) -> tuple[Rfq, list[tuple[QuoteVersion, int | None]], bool]:
    """Lock the request, check the award and record it; run inside the caller's transaction.

    `awards` is (quote version id, quantity or None for the whole quote). Returns the request,
    the versions with their quantities, and whether this exact award was already made (a replay:
    the caller returns the orders it made then)."""
    rfq = Rfq.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=rfq.pk)
    forget_roles(actor)
    if not permissions.can_publish_rfq(actor, rfq.buyer):
        if is_member(actor, rfq.buyer):
            raise NotPermitted(_("Only owners and admins of the cooperative can award."))
        raise NotFound(_("No such request."))
    wanted = {version_id: quantity for version_id, quantity in awards}
    if not wanted or len(wanted) != len(awards):
        raise ValidationError({"awards": [_("Name each quote version to award once.")]})
    quotes = list(
        Quote.objects.select_for_update(of=("self",))
        .filter(rfq=rfq)
        .select_related("seller")
        .order_by("pk")
    )
    if rfq.status == RfqStatus.AWARDED:
        made = {q.awarded_version_id: q.awarded_quantity for q in quotes if q.awarded_version_id}
        if made == wanted:
            versions = list(QuoteVersion.objects.filter(pk__in=wanted).order_by("pk"))
            return rfq, [(v, wanted[v.pk]) for v in versions], True
        raise DomainError(_("This request was already awarded."), code="rfq_already_awarded")
    ensure_rfq_transition("award", rfq.status)
    if rfq.is_single_award and len(wanted) > 1:
        raise ValidationError({"awards": [_("This request is awarded to one quote only.")]})
    by_quote = {q.pk: q for q in quotes}
    versions = list(
        QuoteVersion.objects.filter(pk__in=wanted, quote__rfq=rfq)
        .select_related("quote__seller")
        .prefetch_related("lines")
        .order_by("pk")
    )
    if len(versions) != len(wanted):
        raise ValidationError({"awards": [_("A version named is not a quote of this request.")]})
    latest = dict(
        QuoteVersion.objects.filter(quote__rfq=rfq)
        .values_list("quote_id")
        .annotate(n=Max("number"))
    )
    now = timezone.now()
    chosen: list[tuple[QuoteVersion, int | None]] = []
    for version in versions:
        quote = by_quote[version.quote_id]
        if version.number != latest[quote.pk]:
            raise DomainError(
                _(
                    "Version %(number)s of the quote of %(seller)s is not its latest: "
                    "compare the newest version and award that one."
                )
                % {"number": version.number, "seller": quote.seller.name},
                code="quote_version_outdated",
            )
        if quote.status not in LIVE_QUOTE or version.valid_until < local_today(
            seller_zone(quote.seller), now
        ):
            raise DomainError(
                _("The quote of %(seller)s can no longer be awarded (withdrawn or expired).")
                % {"seller": quote.seller.name},
                code="quote_not_awardable",
            )
        quantity = wanted[version.pk]
        if quantity is not None:
            lines = list(version.lines.all())
            if len(lines) != 1 or not 1 <= quantity <= lines[0].quantity:
                raise ValidationError(
                    {
                        "awards": [
                            _("A split award takes part of a one-line quote, at most its quantity.")
                        ]
                    }
                )
        chosen.append((version, quantity))
    for quote in quotes:
        before = quote.status
        awarded = next((v for v, _q in chosen if v.quote_id == quote.pk), None)
        if awarded is not None:
            quote.status = ensure_quote_transition("award", before)
            quote.awarded_version = awarded
            quote.awarded_quantity = wanted[awarded.pk]
        elif before in LIVE_QUOTE:
            quote.status = ensure_quote_transition("pass_over", before)
        else:
            continue
        quote.save(update_fields=["status", "awarded_version", "awarded_quantity", "updated_at"])
        _event(rfq, "award" if awarded else "pass_over", before, quote.status, actor, quote)
    before = rfq.status
    rfq.status = ensure_rfq_transition("award", before)
    rfq.closed_at = now
    rfq.save(update_fields=["status", "closed_at"])
    _event(rfq, "award", before, rfq.status, actor)
    return rfq, chosen, False


@transaction.atomic
def quotes_close_expired(*, now: datetime | None = None) -> int:
    """Close what ran out: live quotes past their validity (in the seller's zone), and open
    requests past their deadline with no live quote left. Idempotent; returns how many closed."""
    now = now or timezone.now()
    closed = 0
    live = (
        Quote.objects.select_for_update(of=("self",))
        .filter(status__in=LIVE_QUOTE)
        .select_related("seller", "rfq")
        .order_by("pk")
    )
    for quote in live:
        version = quote.versions.order_by("-number").first()
        if version is None or version.valid_until >= local_today(seller_zone(quote.seller), now):
            continue
        before = quote.status
        quote.status = ensure_quote_transition("expire", before)
        quote.save(update_fields=["status", "updated_at"])
        _event(quote.rfq, "expire", before, quote.status, None, quote)
        closed += 1
    rfqs = (
        Rfq.objects.select_for_update()
        .filter(status=RfqStatus.OPEN, answers_due_at__lt=now)
        .exclude(quotes__status__in=LIVE_QUOTE)
        .order_by("pk")
    )
    for rfq in rfqs:
        rfq.status = ensure_rfq_transition("expire", RfqStatus.OPEN)
        rfq.closed_at = now
        rfq.save(update_fields=["status", "closed_at"])
        _event(rfq, "expire", RfqStatus.OPEN, rfq.status, None)
        closed += 1
    return closed
