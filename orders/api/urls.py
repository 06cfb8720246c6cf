from django.urls import path

from orders.api.views import cart, documents, orders, payments, quotes, receivables
from orders.models import InvoiceKind
from orders.state import ACTIONS
from quotes.api.urls import action

urlpatterns = [
    *action("rfqs/<int:pk>/award", quotes.RfqAwardView, "rfq-award"),
    *action(
        "standing-orders/<int:pk>/drafts/<int:draft>/confirm",
        quotes.DraftConfirmView,
        "standing-draft-confirm",
    ),
    path("invoices/", receivables.InvoiceListView.as_view(), name="invoice-list"),
    path("credit/payments/", receivables.CreditPaymentView.as_view(), name="credit-payment"),
    path(
        "invoices/<int:pk>/payments/",
        receivables.InvoicePaymentView.as_view(),
        name="invoice-payments",
    ),
    path(
        "invoices/<int:pk>/payment-notices/",
        receivables.PaymentNoticeCreateView.as_view(),
        name="invoice-payment-notices",
    ),
    *[
        path(
            f"payment-notices/<int:pk>/{decision}/",
            receivables.PaymentNoticeDecisionView.as_view(decision=decision),
            name=f"payment-notice-{decision}",
        )
        for decision in ("confirm", "reject")
    ],
    path(
        "payment-notices/<int:pk>/proof/",
        receivables.PaymentNoticeProofView.as_view(),
        name="payment-notice-proof",
    ),
    path(
        "cooperatives/<slug:slug>/aging/",
        receivables.AgingView.as_view(),
        name="cooperative-aging",
    ),
    path(
        "cooperatives/<slug:slug>/statement/",
        receivables.StatementView.as_view(),
        name="cooperative-statement",
    ),
    path("cooperatives/<slug:slug>/fees/", receivables.FeeStatementView.as_view(), name="fees"),
    path(
        "cooperatives/<slug:slug>/fee-payments/",
        receivables.FeePaymentView.as_view(),
        name="fee-payments",
    ),
    path("cart/", cart.CartView.as_view(), name="cart"),
    path("cart/items/", cart.CartItemListView.as_view(), name="cart-item-list"),
    path("cart/items/<int:pk>/", cart.CartItemDetailView.as_view(), name="cart-item-detail"),
    path("checkout/", cart.CheckoutView.as_view(), name="checkout"),
    path("orders/", orders.OrderListView.as_view(), name="order-list"),
    path("orders/<int:pk>/", orders.OrderDetailView.as_view(), name="order-detail"),
    *[
        path(
            f"orders/<int:pk>/{action}/",
            orders.OrderTransitionView.as_view(order_action=action),
            name=f"order-{action}",
        )
        for action in ACTIONS
    ],
    path("orders/<int:pk>/mark-paid/", orders.OrderMarkPaidView.as_view(), name="order-mark-paid"),
    path("orders/<int:pk>/messages/", orders.MessageListView.as_view(), name="order-messages"),
    path("orders/<int:pk>/invoice/", documents.InvoiceView.as_view(), name="order-invoice"),
    *[
        path(
            f"orders/<int:pk>/{name}.{file_format}",
            documents.DocumentFileView.as_view(kind=kind, file_format=file_format),
            name=f"order-{name}-{file_format}",
        )
        for name, kind in (
            ("invoice", InvoiceKind.INVOICE),
            ("credit-note", InvoiceKind.CREDIT_NOTE),
        )
        for file_format in ("pdf", "html")
    ],
    path(
        "cooperatives/<slug:slug>/stripe/onboarding/",
        payments.StripeOnboardingView.as_view(),
        name="stripe-onboarding",
    ),
    path(
        "payments/stripe/webhook/",
        payments.StripeWebhookView.as_view(),
        name="stripe-webhook",
    ),
    path(
        "cooperatives/<slug:slug>/reports/trade/",
        documents.TradeReportView.as_view(),
        name="trade-report",
    ),
    path(
        "cooperatives/<slug:slug>/reports/trade.csv",
        documents.TradeReportCsvView.as_view(),
        name="trade-report-csv",
    ),
    path(
        "cooperatives/<slug:slug>/reports/trade.svg",
        documents.TradeChartView.as_view(),
        name="trade-report-svg",
    ),
]
