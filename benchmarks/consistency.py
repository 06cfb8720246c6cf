"""After a load run: is the data still consistent? (benchmarks/README.md, "soak")

- no listing has negative stock;
- every order's total is the sum of its lines;
- every checkout's total is the sum of its orders;
- each seller's invoices (and credit notes) of a year are numbered 1..n without a gap, and the
  sequence's counter is n;
- for the listings whose stock the run started from (`initial_stock`), the stock now is the
  starting stock minus what the orders placed since `since_order_id` took.
Needs a configured Django; returns the problems found (empty when consistent)."""

from collections import defaultdict

from django.db.models import Sum


def check_consistency(
    *, since_order_id: int = 0, initial_stock: dict[int, int] | None = None
) -> list[str]:
    from marketplace.models import Listing
    from orders.models import Checkout, Invoice, InvoiceSequence, Order, OrderLine

    problems: list[str] = []
    negative = list(Listing.objects.filter(stock__lt=0).values_list("pk", "stock")[:20])
    for pk, stock in negative:
        problems.append(f"listing {pk} has negative stock {stock}")

    orders = Order.objects.filter(pk__gt=since_order_id)
    line_sums = dict(
        OrderLine.objects.filter(order__in=orders)
        .values_list("order_id")
        .annotate(lines_total=Sum("line_total_amount"))
        .values_list("order_id", "lines_total")
    )
    for order in orders.only("pk", "total_amount"):
        lines_total = line_sums.get(order.pk, 0)
        if order.total_amount != lines_total:
            problems.append(
                f"order {order.pk}: total {order.total_amount} but its lines sum to {lines_total}"
            )
    # fee + seller amount = total, line total = price x quantity and stock >= 0 are database
    # constraints: a break there is an IntegrityError (a 5xx during the run), not silent data.

    checkout_ids = orders.values_list("checkout_id", flat=True).distinct()
    order_sums = dict(
        Order.objects.filter(checkout_id__in=checkout_ids)
        .values_list("checkout_id")
        .annotate(orders_total=Sum("total_amount"))
        .values_list("checkout_id", "orders_total")
    )
    for checkout in Checkout.objects.filter(pk__in=checkout_ids).only("pk", "total_amount"):
        if checkout.total_amount != order_sums.get(checkout.pk, 0):
            problems.append(f"checkout {checkout.pk}: total is not the sum of its orders")

    numbers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for seller_id, year, sequence in Invoice.objects.values_list("seller_id", "year", "sequence"):
        numbers[(seller_id, year)].append(sequence)
    counters = {
        (seller_id, year): last
        for seller_id, year, last in InvoiceSequence.objects.values_list(
            "cooperative_id", "year", "last_number"
        )
    }
    for (seller_id, year), sequences in numbers.items():
        if sorted(sequences) != list(range(1, len(sequences) + 1)):
            problems.append(f"seller {seller_id}, {year}: invoice numbers have gaps or repeats")
        if counters.get((seller_id, year)) != len(sequences):
            problems.append(f"seller {seller_id}, {year}: sequence counter is not the last number")

    if initial_stock:
        taken = dict(
            OrderLine.objects.filter(order__in=orders, listing_id__in=initial_stock)
            .values_list("listing_id")
            .annotate(quantity=Sum("quantity"))
            .values_list("listing_id", "quantity")
        )
        current = dict(Listing.objects.filter(pk__in=initial_stock).values_list("pk", "stock"))
        for pk, start in initial_stock.items():
            expected = start - taken.get(pk, 0)
            if current.get(pk) != expected:
                problems.append(
                    f"listing {pk}: stock {current.get(pk)}, expected {start} - "
                    f"{taken.get(pk, 0)} ordered = {expected}"
                )
    return problems
