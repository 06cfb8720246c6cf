"""The access table's vocabulary: a row, a rule row for a group of URLs, and the outcome classes."""

from dataclasses import dataclass, field

PERSONAS = ("anonymous", "outsider", "member", "admin", "owner", "moderator")

# What a persona gets, as a class of responses (tests/access/test_access_table.py `outcome`):
OUTCOMES = {
    "ok": "2xx, or a redirect that is not to a sign-in page: access granted and it worked",
    "invalid": "400/409/422: access granted, the (empty) body or the object's state refused",
    "login": "a redirect to the sign-in page (pages, admin) or 401 (API): sign in first",
    "forbidden": "403: signed in, but not allowed",
    "refused": "a page's form answered with an error message: the service said no (pages only)",
    "hidden": "404: the object is not visible to this persona",
    "not_allowed": "405: the URL does not take that method",
}

# Which object of the world a path parameter names unless the row says otherwise.
DEFAULT_PARAMS = {
    "slug": "coop",
    "listing_id": "listing",
    "image_id": "image",
    "membership_id": "target",
    "invitation_id": "invitation",
    "token": "invitation.token",
    "document_id": "document",
    "report_id": "report",
    "action_id": "decision",
    "appeal_id": "appeal",
    "decision_id": "decision",
    "line_id": "cart_line",
    "checkout_id": "checkout",
    "order_id": "order",
    "invoice_id": "invoice",
    "notice_id": "notice",
    "draft": "standing_draft",  # a standing order's draft: coop's, as buyer
    # The quote pages (frontend): partner's request to coop and its file, coop's quote, coop's
    # agreement as seller, coop's standing order as buyer and its draft.
    "rfq_id": "rfq",
    "attachment_id": "rfq_attachment",
    "quote_id": "quote",
    "agreement_id": "agreement",
    "standing_order_id": "standing",
    "draft_id": "standing_draft",
    "decision": "=confirm",
    "pk": "order",
    "action": "=accept",
    "run_id": "=999999",  # a clearing run: the committee's only, so a 403 before any lookup
    "system_id": "=999999",  # a credit system: none in the world, so a 404 once signed in
    "account_id": "=999999",  # a credit account: the committee's only, so a 403 before lookup
    "token_id": "=999999",  # an API key: nobody's in the world, so a 404 for everyone signed in
    "import_id": "=999999",  # a catalogue import: the world has none, so a 404 for everyone
    "currency": "=ARS",  # a credit system's currency: the world has none, so a 404 once signed in
    "request_id": "=999999",  # a pending credit line: the committee's only, none in the world
}


@dataclass(frozen=True)
class Row:
    """One URL pattern (as the resolver spells its route) and method, and the outcome for each
    persona, in PERSONAS order: anonymous outsider member admin owner moderator."""

    route: str
    method: str
    expect: str
    case: str = ""  # tells apart two rows of the same route and method (e.g. "draft")
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> world attribute
    path: str = ""  # for regular-expression routes: the path to request
    query: str = ""  # `{w.coop.slug}` and the like name the world's objects, here and in body
    body: dict[str, object] | None = None  # writes send an empty body unless given
    multipart: bool = False  # API writes send JSON unless this is set
    headers: dict[str, str] = field(default_factory=dict)
    # The pattern exists only under a setting (e.g. an env-gated view): without it the row is
    # neither stale nor requested.
    optional: bool = False

    @property
    def expected(self) -> dict[str, str]:
        words = self.expect.split()
        assert len(words) == len(PERSONAS), f"{self.key}: one outcome per persona, {PERSONAS}"
        assert set(words) <= set(OUTCOMES), f"{self.key}: outcomes are {sorted(OUTCOMES)}"
        return dict(zip(PERSONAS, words, strict=True))

    @property
    def key(self) -> str:
        return f"{self.method} {self.route}" + (f" [{self.case}]" if self.case else "")


@dataclass(frozen=True)
class Rule:
    """A group of URL patterns (every route starting with `prefix` and not matched by a Row),
    requested with GET and every path parameter filled in, with one outcome per persona."""

    prefix: str
    expect: str

    @property
    def expected(self) -> dict[str, str]:
        return dict(zip(PERSONAS, self.expect.split(), strict=True))
