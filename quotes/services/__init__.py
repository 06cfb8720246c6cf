"""Every write of requests for quotes, quotes, agreements and standing orders."""

from quotes.services.agreements import (
    agreement_accept,
    agreement_end,
    agreement_propose,
    agreement_unit_price,
)
from quotes.services.rfqs import (
    QuoteLineInput,
    QuoteTerms,
    message_post,
    quote_counter,
    quote_submit,
    quote_withdraw,
    quotes_close_expired,
    rfq_lock_for_award,
    rfq_publish,
)
from quotes.services.standing import draft_decide, standing_order_create, standing_orders_draft

__all__ = [
    "QuoteLineInput",
    "QuoteTerms",
    "agreement_accept",
    "agreement_end",
    "agreement_propose",
    "agreement_unit_price",
    "draft_decide",
    "message_post",
    "quote_counter",
    "quote_submit",
    "quote_withdraw",
    "quotes_close_expired",
    "rfq_lock_for_award",
    "rfq_publish",
    "standing_order_create",
    "standing_orders_draft",
]
