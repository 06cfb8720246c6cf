from core.api.routes import one_per, routes, slash_optional
from orders.api.views import cart, documents, orders, payments, quotes, receivables
from orders.models import InvoiceKind
from orders.state import ACTIONS

DOCUMENTS = (("invoice", InvoiceKind.INVOICE), ("credit-note", InvoiceKind.CREDIT_NOTE))

# fmt: off
urlpatterns = [
    *slash_optional("rfqs/<int:pk>/award", quotes.RfqAwardView, "rfq-award"),
    *slash_optional("standing-orders/<int:pk>/drafts/<int:draft>/confirm", quotes.DraftConfirmView, "standing-draft-confirm"),
    *routes([
    ("invoices/", receivables.InvoiceListView, "invoice-list"),
    ("credit/payments/", receivables.CreditPaymentView, "credit-payment"),
    ("invoices/<int:pk>/payments/", receivables.InvoicePaymentView, "invoice-payments"),
    ("invoices/<int:pk>/payment-notices/", receivables.PaymentNoticeCreateView, "invoice-payment-notices"),
    *one_per(("confirm", "reject"), "decision", "payment-notices/<int:pk>/{}/", receivables.PaymentNoticeDecisionView, "payment-notice-{}"),
    ("payment-notices/<int:pk>/proof/", receivables.PaymentNoticeProofView, "payment-notice-proof"),
    ("cooperatives/<slug:slug>/aging/", receivables.AgingView, "cooperative-aging"),
    ("cooperatives/<slug:slug>/statement/", receivables.StatementView, "cooperative-statement"),
    ("cooperatives/<slug:slug>/fees/", receivables.FeeStatementView, "fees"),
    ("cooperatives/<slug:slug>/fee-payments/", receivables.FeePaymentView, "fee-payments"),
    ("cart/", cart.CartView, "cart"),
    ("cart/items/", cart.CartItemListView, "cart-item-list"),
    ("cart/items/<int:pk>/", cart.CartItemDetailView, "cart-item-detail"),
    ("checkout/", cart.CheckoutView, "checkout"),
    ("orders/", orders.OrderListView, "order-list"),
    ("orders/<int:pk>/", orders.OrderDetailView, "order-detail"),
    *one_per(ACTIONS, "order_action", "orders/<int:pk>/{}/", orders.OrderTransitionView, "order-{}"),
    ("orders/<int:pk>/mark-paid/", orders.OrderMarkPaidView, "order-mark-paid"),
    ("orders/<int:pk>/order-again/", orders.OrderAgainView, "order-again"),
    ("orders/<int:pk>/ask-again/", orders.OrderAskAgainView, "order-ask-again"),
    ("orders/<int:pk>/refund-paid-outside/", orders.OrderRefundPaidOutsideView, "order-refund-paid-outside"),
    ("orders/<int:pk>/messages/", orders.MessageListView, "order-messages"),
    ("orders/<int:pk>/invoice/", documents.InvoiceView, "order-invoice"),
    *[
        (f"orders/<int:pk>/{name}.{file_format}", documents.DocumentFileView, f"order-{name}-{file_format}", {"kind": kind, "file_format": file_format})
        for name, kind in DOCUMENTS
        for file_format in ("pdf", "html")
    ],
    ("cooperatives/<slug:slug>/stripe/onboarding/", payments.StripeOnboardingView, "stripe-onboarding"),
    ("payments/stripe/webhook/", payments.StripeWebhookView, "stripe-webhook"),
    ("cooperatives/<slug:slug>/reports/trade/", documents.TradeReportView, "trade-report"),
    ("cooperatives/<slug:slug>/reports/trade.csv", documents.TradeReportCsvView, "trade-report-csv"),
    ("cooperatives/<slug:slug>/reports/trade.svg", documents.TradeChartView, "trade-report-svg"),
]),
]
