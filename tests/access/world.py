"""The world the access table is checked in: one cooperative (`coop`) with a person in each role,
and every kind of object a URL can name, each belonging to (or concerning) that cooperative.

The six personas relate to `coop`: its member, admin and owner; an outsider who owns an
unrelated cooperative; a moderator who belongs to none; and nobody signed in.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from PIL import Image

from accounts.models import MODERATORS_GROUP, User
from cooperatives.models import Cooperative, Invitation, Membership, Role, VerificationDocument
from cooperatives.state import VerificationStatus
from marketplace.models import Listing, ListingImage
from marketplace.services.images import encode_listing_image, store_listing_image
from moderation import services as moderation
from moderation.models import Appeal, ModerationAction, Report
from orders import services as orders
from orders.models import CartLine, Checkout, Invoice, Order, PaymentNotice
from orders.receivables import services as receivables
from quotes import services as quotes
from quotes.models import (
    Agreement,
    Quote,
    QuoteVersion,
    Rfq,
    RfqAttachment,
    StandingOrder,
    StandingOrderDraft,
)
from tests.cooperatives.helpers import pdf_upload, rejected_verification
from tests.factories import (
    CooperativeFactory,
    ListingFactory,
    MembershipFactory,
    user_in_group,
)
from tests.frontend.ordering import place_order
from tests.quotes.helpers import weekly_standing_order

PERSONAS = ("anonymous", "outsider", "member", "admin", "owner", "moderator")


@dataclass
class World:
    coop: Cooperative
    partner: Cooperative  # buys from coop, and sells to it
    owner: User
    admin: User
    member: User
    outsider: User
    moderator: User
    target: Membership  # a second plain member of coop
    listing: Listing  # published
    draft: Listing
    pending: Listing  # waiting for review
    suspended: Listing
    partner_listing: Listing
    image: ListingImage  # of the published listing
    draft_image: ListingImage  # of the draft
    order: Order  # partner bought from coop; accepted, so invoiced
    placed_order: Order  # partner bought from coop; not yet accepted
    fulfilled_order: Order
    cancelled_order: Order  # accepted, then cancelled: it has a credit note
    checkout: Checkout  # coop bought from partner
    purchase: Order  # its order: coop bought from partner, and partner accepted
    cart_line: CartLine  # in coop's cart
    invitation: Invitation  # to someone else
    document: VerificationDocument
    report: Report  # an open report on coop's listing
    decision: ModerationAction  # a rejection of coop's listing, not appealed
    appealed: ModerationAction  # a rejection of coop's listing, appealed
    appeal: Appeal
    invoice: Invoice  # of `order`: coop is owed it by partner
    purchase_invoice: Invoice  # coop bought from partner, and partner accepted
    notice: PaymentNotice  # partner says it paid part of `invoice`; pending
    rfq: Rfq  # partner asks coop (privately) for quotes; coop quoted
    rfq_attachment: RfqAttachment  # the drawing attached to `rfq`
    quote: Quote  # coop's answer to `rfq`
    own_rfq: Rfq  # coop asks partner for quotes; partner quoted
    own_quote_version: QuoteVersion  # partner's answer to `own_rfq`
    quoted_purchase: Order  # coop bought from partner on a quote: free-text lines, asked again
    agreement: Agreement  # coop sells to partner under it; active
    offer: Agreement  # partner proposes to sell to coop; not yet accepted
    standing: StandingOrder  # coop buys from partner weekly under an active agreement
    standing_draft: StandingOrderDraft  # its first period, awaiting confirmation

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self, persona)

    def value(self, name: str) -> Any:
        """A path parameter: the world's object of that name, spelled as the URL wants it."""
        if name.startswith("="):
            return name[1:]
        obj: Any = self
        for attribute in name.split("."):
            obj = getattr(obj, attribute)
        if isinstance(obj, Cooperative):
            return obj.slug
        return getattr(obj, "pk", obj)


def _pending_listing(coop: Cooperative) -> Listing:
    return ListingFactory(
        cooperative=coop, status="pending_review", published_at=None, submitted_at=timezone.now()
    )


def _quotes(
    coop: Cooperative,
    owner: User,
    partner: Cooperative,
    partner_owner: User,
    listing: Listing,
    partner_listing: Listing,
) -> dict[str, Any]:
    """Requests for quotes both ways, agreements both ways, a standing order with one draft."""
    today = timezone.localdate()
    request = {
        "title": "Impresión de folletos",
        "specification": "A5, color",
        "quantity": 100,
        "unit": "unit",
        "delivery_place": "Montevideo",
        "delivery_date": today + timedelta(days=30),
        "answers_due_at": timezone.now() + timedelta(days=7),
        "visibility": "private",
    }
    terms = quotes.QuoteTerms(
        currency="UYU",
        valid_until=today + timedelta(days=30),
        lead_time_days=5,
        payment_terms_days=30,
        lines=[quotes.QuoteLineInput("Folletos", 100, "unit", 1_00)],
    )
    drawing = pdf_upload("pliego.pdf")
    rfq = quotes.rfq_publish(
        buyer=partner, actor=partner_owner, invited=[coop], attachments=[drawing], **request
    )
    quote = quotes.quote_submit(rfq=rfq, seller=coop, actor=owner, terms=terms)
    own_rfq = quotes.rfq_publish(buyer=coop, actor=owner, invited=[partner], **request)
    own_quote = quotes.quote_submit(rfq=own_rfq, seller=partner, actor=partner_owner, terms=terms)
    awarded_rfq = quotes.rfq_publish(buyer=coop, actor=owner, invited=[partner], **request)
    awarded = quotes.quote_submit(rfq=awarded_rfq, seller=partner, actor=partner_owner, terms=terms)
    [quoted_purchase] = orders.rfq_award(
        rfq=awarded_rfq, actor=owner, awards=[(awarded.versions.get().pk, None)]
    )

    def agree(seller: Cooperative, actor: User, buyer: Cooperative, item: Listing) -> Agreement:
        return quotes.agreement_propose(
            seller=seller,
            actor=actor,
            buyer=buyer,
            name=f"Acuerdo {seller.name}",
            currency=item.currency,
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=365),
            payment_terms_days=45,
            prices=[{"listing": item, "discount_bps": 1000}],
        )

    agreement = agree(coop, owner, partner, listing)
    quotes.agreement_accept(agreement=agreement, buyer=partner, actor=partner_owner)
    purchase_agreement = agree(partner, partner_owner, coop, partner_listing)
    quotes.agreement_accept(agreement=purchase_agreement, buyer=coop, actor=owner)
    standing = weekly_standing_order(purchase_agreement, coop, owner, partner_listing, 1, today)
    quotes.standing_orders_draft(today=today)
    return {
        "rfq": rfq,
        "rfq_attachment": rfq.attachments.get(),
        "quote": quote,
        "own_rfq": own_rfq,
        "own_quote_version": own_quote.versions.get(),
        "quoted_purchase": quoted_purchase,
        "agreement": agreement,
        "offer": agree(partner, partner_owner, coop, partner_listing),
        "standing": standing,
        "standing_draft": standing.drafts.get(),
    }


def build_world() -> World:
    coop = CooperativeFactory(
        name="Cooperativa Textil La Huella",
        country="AR",
        verification_status=VerificationStatus.VERIFIED,
    )
    partner = CooperativeFactory(
        name="Coop Consumo Montevideo",
        country="UY",
        verification_status=VerificationStatus.VERIFIED,
    )
    owner = MembershipFactory(cooperative=coop, role=Role.OWNER).user
    admin = MembershipFactory(cooperative=coop, role=Role.ADMIN).user
    member = MembershipFactory(cooperative=coop, role=Role.MEMBER).user
    target = MembershipFactory(cooperative=coop, role=Role.MEMBER)
    partner_owner = MembershipFactory(cooperative=partner, role=Role.OWNER).user
    elsewhere = CooperativeFactory(name="Cooperativa Lejana", country="BR")
    outsider = MembershipFactory(cooperative=elsewhere, role=Role.OWNER).user
    moderator = user_in_group(MODERATORS_GROUP, name="Moderator")
    decider = user_in_group(MODERATORS_GROUP, name="Deciding Moderator")

    listing = ListingFactory(cooperative=coop, stock=100)
    draft = ListingFactory(cooperative=coop, status="draft", published_at=None)
    image = store_listing_image(
        listing, encode_listing_image(Image.new("RGB", (64, 48), (200, 80, 40))), alt_text="Tela"
    )
    draft_image = store_listing_image(
        draft, encode_listing_image(Image.new("RGB", (64, 48), (20, 80, 40))), alt_text="Borrador"
    )
    coop.logo.save("logo.webp", encode_listing_image(Image.new("RGB", (64, 64)))[2].content)
    partner_listing = ListingFactory(cooperative=partner, stock=100)
    pending = _pending_listing(coop)
    suspended = ListingFactory(cooperative=coop, status="suspended")

    order = place_order(partner_owner, partner, listing, quantity=1)
    orders.order_accept(order=order, actor=owner)
    cancelled_order = place_order(partner_owner, partner, listing, quantity=1)
    orders.order_accept(order=cancelled_order, actor=owner)
    orders.order_cancel(order=cancelled_order, actor=owner, reason="Out of cloth.")
    placed_order = place_order(partner_owner, partner, listing, quantity=1)
    fulfilled_order = place_order(partner_owner, partner, listing, quantity=1)
    orders.order_accept(order=fulfilled_order, actor=owner)
    orders.order_fulfil(order=fulfilled_order, actor=owner)
    orders.message_post(order=order, actor=owner, body="Sale el lunes.")

    purchase = place_order(owner, coop, partner_listing, quantity=1)
    checkout = purchase.checkout
    orders.order_accept(order=purchase, actor=partner_owner)
    invoice = order.invoices.get(kind="invoice")
    notice = receivables.payment_notice_send(
        invoice=invoice,
        actor=partner_owner,
        amount=1,
        proof=pdf_upload("proof.pdf"),
    )
    cart_line, _ = orders.cart_add_item(
        cooperative=coop, listing_id=partner_listing.pk, quantity=1, actor=owner
    )

    invitation = Invitation.objects.create(
        cooperative=coop, email="someone-else@example.coop", role=Role.MEMBER, invited_by=owner
    )
    document = rejected_verification(coop, owner, "estatuto.pdf")

    report = moderation.report_create(actor=partner_owner, listing=listing, reason="fraud")
    decision = moderation.listing_reject(
        listing=_pending_listing(coop), actor=decider, reason="No."
    )
    appealed = moderation.listing_reject(
        listing=_pending_listing(coop), actor=decider, reason="No."
    )
    appeal = moderation.appeal_file(decision=appealed, actor=owner, statement="Please look again.")

    quoting = _quotes(coop, owner, partner, partner_owner, listing, partner_listing)

    return World(
        **quoting,
        coop=coop,
        partner=partner,
        owner=owner,
        admin=admin,
        member=member,
        outsider=outsider,
        moderator=moderator,
        target=target,
        listing=listing,
        draft=draft,
        pending=pending,
        suspended=suspended,
        partner_listing=partner_listing,
        image=image,
        draft_image=draft_image,
        order=order,
        cancelled_order=cancelled_order,
        placed_order=placed_order,
        fulfilled_order=fulfilled_order,
        checkout=checkout,
        purchase=purchase,
        cart_line=cart_line,
        invitation=invitation,
        document=document,
        report=report,
        decision=decision,
        appealed=appealed,
        appeal=appeal,
        invoice=invoice,
        purchase_invoice=purchase.invoices.get(kind="invoice"),
        notice=notice,
    )
