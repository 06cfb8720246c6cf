"""The checkout scenario: N buyer cooperatives, each with an owner and an API token, add a
listing to their cart and check out by invoice, concurrently, over HTTP (one thread and one
keep-alive connection per buyer). A few "hot" listings have little stock, so buyers compete for
the last units and some checkouts must be refused: none may oversell."""

import http.client
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

BUYER_PREFIX = "bench-buyer-"
SELLER_EMAIL = "bench-seller@bench.invalid"


@dataclass
class Fixture:
    buyers: list[tuple[str, str]]  # (cooperative slug, token)
    seller_token: str
    hot: list[int]
    cool: list[int]
    initial_stock: dict[int, int]
    since_order_id: int


def prepare_fixture(
    *,
    buyers: int = 32,
    hot: int = 4,
    hot_stock: int = 10,
    cool: int = 200,
    cool_stock: int = 1_000_000,
) -> Fixture:
    """Buyer cooperatives with owners and tokens, empty carts, and the listings they will buy
    with a known stock; a seller user owning the sellers' cooperatives (to accept orders)."""
    from django.db import transaction

    from accounts.models import User
    from accounts.services import user_token
    from cooperatives.models import Cooperative, Membership, Role
    from marketplace.models import Listing
    from orders.models import CartLine, Order

    with transaction.atomic():
        slugs_tokens = []
        for index in range(1, buyers + 1):
            slug = f"{BUYER_PREFIX}{index:02d}"
            cooperative, _ = Cooperative.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": f"Bench buyer {index:02d}",
                    "legal_form": "worker",
                    "sector": "food",
                    "country": "AR",
                    "city": "Rosario",
                    "verification_status": "verified",
                },
            )
            user = User.objects.filter(email=f"{slug}@bench.invalid").first()
            if user is None:
                user = User.objects.create_user(email=f"{slug}@bench.invalid", password=None)
            Membership.objects.get_or_create(
                user=user, cooperative=cooperative, defaults={"role": Role.OWNER}
            )
            slugs_tokens.append((slug, user_token(user=user)))
        CartLine.objects.filter(cart__cooperative__slug__startswith=BUYER_PREFIX).delete()

        candidates = list(
            Listing.objects.filter(
                status="published",
                stock__isnull=False,
                min_order_quantity=1,
                cooperative__slug__startswith="bulk-",
            )
            .exclude(cooperative__verification_status="suspended")
            .order_by("pk")
            .values_list("pk", "cooperative_id")[: hot + cool]
        )
        if len(candidates) < hot + cool:
            raise SystemExit(
                f"Too few orderable listings for the checkout scenario ({len(candidates)})."
            )
        hot_ids = [pk for pk, _ in candidates[:hot]]
        cool_ids = [pk for pk, _ in candidates[hot:]]
        Listing.objects.filter(pk__in=hot_ids).update(stock=hot_stock)
        Listing.objects.filter(pk__in=cool_ids).update(stock=cool_stock)

        seller = User.objects.filter(email=SELLER_EMAIL).first()
        if seller is None:
            seller = User.objects.create_user(email=SELLER_EMAIL, password=None)
        for cooperative_id in {cooperative_id for _, cooperative_id in candidates}:
            Membership.objects.get_or_create(
                user=seller, cooperative_id=cooperative_id, defaults={"role": Role.OWNER}
            )
        seller_key = user_token(user=seller)
        last = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    initial = {pk: hot_stock for pk in hot_ids} | {pk: cool_stock for pk in cool_ids}
    return Fixture(slugs_tokens, seller_key, hot_ids, cool_ids, initial, last)


@dataclass
class CheckoutStats:
    checkouts: int = 0  # 201
    refused: int = 0  # 409/400 for stock: the expected "sold out"
    accepted: int = 0  # orders accepted by the seller (soak)
    server_errors: int = 0  # 5xx
    other_errors: int = 0  # anything else unexpected
    requests: int = 0
    latencies_ms: list[float] = field(default_factory=list)  # of checkout requests
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def add(self, other: "CheckoutStats") -> None:
        for name in (
            "checkouts",
            "refused",
            "accepted",
            "server_errors",
            "other_errors",
            "requests",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.latencies_ms += other.latencies_ms
        self.examples = (self.examples + other.examples)[:5]


class _Client:
    def __init__(self, base_url: str, token: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(
        self, method: str, path: str, body: dict | None, headers: dict | None = None
    ) -> tuple[int, dict]:
        payload = json.dumps(body).encode() if body is not None else None
        all_headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        all_headers.update(headers or {})
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=payload, headers=all_headers)
                response = self.connection.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt:
                    return 599, {}
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return response.status, data


def _buyer_loop(
    base_url: str,
    slug: str,
    token: str,
    fixture: Fixture,
    deadline: float,
    stats: CheckoutStats,
    *,
    pause: float,
    accept: bool,
    seed: int,
    with_lines: bool = False,
) -> None:
    rng = random.Random(seed)  # noqa: S311  # nosec B311: load pattern, not secrets
    buyer = _Client(base_url, token)
    seller = _Client(base_url, fixture.seller_token) if accept else None

    def note(status: int, what: str, data: dict) -> None:
        if status >= 500:
            stats.server_errors += 1
        else:
            stats.other_errors += 1
        if len(stats.examples) < 5:
            stats.examples.append(f"{what}: {status} {str(data)[:160]}")

    while time.monotonic() < deadline:
        listing = rng.choice(fixture.hot) if rng.random() < 0.3 else rng.choice(fixture.cool)
        quantity = rng.randint(1, 3)
        if with_lines:  # one request per order: the lines in the checkout's body
            started = time.perf_counter()
            status, data = buyer.call(
                "POST",
                "/api/v1/checkout/",
                {
                    "cooperative": slug,
                    "payment_method": "invoice",
                    "delivery_address": "Bench 1",
                    "lines": [{"listing": listing, "quantity": quantity}],
                },
                {"Idempotency-Key": str(uuid.uuid4())},
            )
            stats.requests += 1
            stats.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status == 201:
                stats.checkouts += 1
            elif status == 409:
                stats.refused += 1  # sold out
            else:
                note(status, "checkout", data)
            if pause:
                time.sleep(pause)
            continue
        status, data = buyer.call(
            "POST",
            "/api/v1/cart/items/",
            {"cooperative": slug, "listing": listing, "quantity": quantity},
        )
        stats.requests += 1
        if status == 409 or (status == 400 and "quantity" in data):
            stats.refused += 1  # sold out when adding: fine
            continue
        if status not in (200, 201):
            note(status, "cart", data)
            continue
        line_id = data.get("id")
        started = time.perf_counter()
        status, data = buyer.call(
            "POST",
            "/api/v1/checkout/",
            {"cooperative": slug, "payment_method": "invoice", "delivery_address": "Bench 1"},
            {"Idempotency-Key": str(uuid.uuid4())},
        )
        stats.requests += 1
        stats.latencies_ms.append((time.perf_counter() - started) * 1000)
        if status == 201:
            stats.checkouts += 1
            if seller is not None:
                for order in data.get("orders", []):
                    status, body = seller.call("POST", f"/api/v1/orders/{order['id']}/accept/", {})
                    stats.requests += 1
                    if status == 200:
                        stats.accepted += 1
                    else:
                        note(status, "accept", body)
        elif status == 409:
            stats.refused += 1  # the stock went while the line sat in the cart
            if line_id:
                buyer.call("DELETE", f"/api/v1/cart/items/{line_id}/", None)
                stats.requests += 1
        else:
            note(status, "checkout", data)
            if line_id:
                buyer.call("DELETE", f"/api/v1/cart/items/{line_id}/", None)
                stats.requests += 1
        if pause:
            time.sleep(pause)


def run_checkouts(
    base_url: str,
    fixture: Fixture,
    *,
    seconds: float,
    pause: float = 0.0,
    accept: bool = False,
    with_lines: bool = False,
) -> CheckoutStats:
    """Every buyer in its own thread, checking out again and again until `seconds` pass: with
    `with_lines`, one request per order (the lines in the checkout's body); otherwise add to the
    cart, then check out the cart."""
    started = time.monotonic()
    deadline = started + seconds
    per_buyer = [CheckoutStats() for _ in fixture.buyers]
    threads = [
        threading.Thread(
            target=_buyer_loop,
            args=(base_url, slug, token, fixture, deadline, per_buyer[index]),
            kwargs={"pause": pause, "accept": accept, "seed": index, "with_lines": with_lines},
            daemon=True,
        )
        for index, (slug, token) in enumerate(fixture.buyers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    total = CheckoutStats()
    for stats in per_buyer:
        total.add(stats)
    total.seconds = time.monotonic() - started
    return total
