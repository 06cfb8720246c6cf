from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from frontend.views import (
    accounts,
    catalogue,
    cooperatives,
    decisions,
    fees,
    moderation,
    orders,
    pages,
    payments,
    receivables,
    reports,
)
from orders.models import InvoiceKind

app_name = "frontend"

INVOICE = {"kind": InvoiceKind.INVOICE}
CREDIT_NOTE = {"kind": InvoiceKind.CREDIT_NOTE}

# A page a row, (route, view, name), one line each so that the table reads as one (hence no
# formatter inside it). The class-based views and the invoices (a view with keyword arguments)
# come first, as paths: none of their routes is matched by a row of the table, and the invoices
# must come before the catch-all "orders/<int:order_id>/<str:action>/".
# fmt: off
PAGES: list[tuple[str, Callable[..., Any], str]] = [
    ("", pages.home, "home"),
    ("catalogue/", catalogue.catalogue, "catalogue"),
    ("listings/<int:listing_id>/", catalogue.listing_detail, "listing"),
    ("listings/<int:listing_id>/report/", catalogue.listing_report, "listing-report"),
    ("my/cooperatives/<slug:slug>/listings/", catalogue.my_listings, "my-listings"),
    ("my/cooperatives/<slug:slug>/listings/new/", catalogue.listing_create, "listing-create"),
    ("my/cooperatives/<slug:slug>/listings/catalogue.csv", catalogue.catalogue_export, "catalogue-export"),
    ("my/cooperatives/<slug:slug>/listings/import/", catalogue.catalogue_import, "catalogue-import"),
    ("my/cooperatives/<slug:slug>/listings/import/progress/<str:token>/", catalogue.catalogue_import_progress, "catalogue-import-progress"),
    ("my/cooperatives/<slug:slug>/listings/import/<int:import_id>/", catalogue.catalogue_import_result, "catalogue-import-result"),
    ("my/listings/<int:listing_id>/", catalogue.listing_edit, "listing-edit"),
    ("my/price-preview/", catalogue.price_preview, "price-preview"),
    ("my/listings/<int:listing_id>/images/", catalogue.listing_images_add, "listing-images"),
    ("my/listings/<int:listing_id>/images/<int:image_id>/delete/", catalogue.listing_image_delete, "listing-image-delete"),
    ("my/listings/<int:listing_id>/submit/", catalogue.listing_submit, "listing-submit"),
    ("my/listings/<int:listing_id>/archive/", catalogue.listing_archive, "listing-archive"),
    ("signup/", accounts.signup, "signup"),
    ("my/account/", accounts.account, "account"),
    ("my/account/password/", accounts.password_change, "password-change"),
    ("my/account/confirmation/", accounts.confirmation_resend, "confirmation-resend"),
    ("confirm/<str:token>/", accounts.confirm_email, "confirm-email"),
    ("cooperatives/", cooperatives.directory, "directory"),
    ("cooperatives/<slug:slug>/", cooperatives.profile, "profile"),
    ("invitations/<str:token>/", cooperatives.invitation, "invitation"),
    ("my/cooperatives/", cooperatives.my_cooperatives, "my-cooperatives"),
    ("my/new-cooperative/", cooperatives.create, "create"),
    ("my/cooperatives/<slug:slug>/", cooperatives.manage, "manage"),
    ("my/cooperatives/<slug:slug>/edit/", cooperatives.edit, "edit"),
    ("my/cooperatives/<slug:slug>/verification/", cooperatives.verification, "verification"),
    ("my/cooperatives/<slug:slug>/payments/", payments.payments_page, "payments"),
    ("my/cooperatives/<slug:slug>/payments/card/", payments.payments_card, "payments-card"),
    ("my/cooperatives/<slug:slug>/payments/card/refresh/", payments.payments_card_refresh, "payments-card-refresh"),
    ("my/cooperatives/<slug:slug>/invitations/", cooperatives.invite, "invite"),
    ("my/cooperatives/<slug:slug>/invitations/<int:invitation_id>/revoke/", cooperatives.invitation_revoke, "invitation-revoke"),
    ("my/cooperatives/<slug:slug>/members/<int:membership_id>/role/", cooperatives.member_role, "member-role"),
    ("my/cooperatives/<slug:slug>/members/<int:membership_id>/remove/", cooperatives.member_remove, "member-remove"),
    ("cart/", orders.cart, "cart"),
    ("cart/add/", orders.cart_add, "cart-add"),
    ("cart/lines/<int:line_id>/", orders.cart_line_update, "cart-line"),
    ("cart/lines/<int:line_id>/confirm-price/", orders.cart_line_confirm_price, "cart-line-confirm"),
    ("cart/lines/<int:line_id>/remove/", orders.cart_line_remove, "cart-line-remove"),
    ("checkout/", orders.checkout, "checkout"),
    ("checkout/<int:checkout_id>/", orders.checkout_result, "checkout-result"),
    ("orders/", orders.order_list, "order-list"),
    ("orders/<int:order_id>/", orders.order_detail, "order-detail"),
    ("orders/<int:order_id>/mark-paid/", orders.order_mark_paid, "order-mark-paid"),
    ("orders/<int:order_id>/messages/", orders.message_post, "order-messages"),
    ("orders/<int:order_id>/unflag/", orders.order_unflag, "order-unflag"),
    ("orders/<int:order_id>/<str:action>/", orders.order_action, "order-action"),
    ("reports/", reports.reports_home, "reports"),
    ("network/", reports.network, "network"),
    ("my/cooperatives/<slug:slug>/reports/", reports.trade, "trade-report"),
    ("my/cooperatives/<slug:slug>/reports/trade.csv", reports.trade_csv, "trade-csv"),
    ("my/cooperatives/<slug:slug>/invoices/", receivables.invoice_list, "invoices"),
    ("my/cooperatives/<slug:slug>/statement/", receivables.statement, "statement"),
    ("my/cooperatives/<slug:slug>/fees/", fees.fee_page, "fees"),
    ("my/cooperatives/<slug:slug>/fees.csv", fees.fee_csv, "fees-csv"),
    ("invoices/<int:invoice_id>/", receivables.invoice_detail, "invoice-detail"),
    ("invoices/<int:invoice_id>/payments/", receivables.payment_record, "invoice-payment"),
    ("invoices/<int:invoice_id>/notices/", receivables.notice_send, "invoice-notice"),
    ("payment-notices/<int:notice_id>/proof/", receivables.notice_proof, "notice-proof"),
    ("payment-notices/<int:notice_id>/<str:decision>/", receivables.notice_decide, "notice-decide"),
    ("cooperatives/<slug:slug>/decisions/", decisions.decision_list, "decisions"),
    ("cooperatives/<slug:slug>/decisions/<int:decision_id>/appeal/", decisions.appeal, "appeal"),
    ("moderation/", moderation.listings, "moderation"),
    ("moderation/reports/", moderation.reports, "moderation-reports"),
    ("moderation/verification/", moderation.verification, "moderation-verification"),
    ("moderation/appeals/", moderation.appeals, "moderation-appeals"),
    ("moderation/cooperatives/", moderation.cooperatives, "moderation-cooperatives"),
    ("moderation/log/", moderation.log, "moderation-log"),
    ("moderation/listings/<int:listing_id>/", moderation.listing, "moderation-listing"),
    ("moderation/listings/<int:listing_id>/decide/", moderation.listing_decide, "moderation-listing-decide"),
    ("moderation/cooperatives/<slug:slug>/", moderation.cooperative, "moderation-cooperative"),
    ("moderation/cooperatives/<slug:slug>/decide/", moderation.cooperative_decide, "moderation-cooperative-decide"),
    ("moderation/reports/<int:report_id>/resolve/", moderation.report_resolve, "moderation-report-resolve"),
    ("moderation/appeals/<int:appeal_id>/resolve/", moderation.appeal_resolve, "moderation-appeal-resolve"),
]
# fmt: on

urlpatterns: list[URLPattern] = [
    path("signin/", accounts.SignInView.as_view(), name="login"),
    path("signout/", accounts.SignOutView.as_view(), name="logout"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/", accounts.PasswordResetSentView.as_view(), name="password-reset-sent"
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("orders/<int:order_id>/invoice/", orders.invoice, INVOICE, name="invoice"),
    path("orders/<int:order_id>/invoice.pdf", orders.invoice_pdf, INVOICE, name="invoice-pdf"),
    path("orders/<int:order_id>/credit-note/", orders.invoice, CREDIT_NOTE, name="credit-note"),
    path(
        "orders/<int:order_id>/credit-note.pdf",
        orders.invoice_pdf,
        CREDIT_NOTE,
        name="credit-note-pdf",
    ),
    path(
        "my/cooperatives/<slug:slug>/statement.csv",
        receivables.statement_file,
        {"file_format": "csv"},
        name="statement-csv",
    ),
    path(
        "my/cooperatives/<slug:slug>/statement.pdf",
        receivables.statement_file,
        {"file_format": "pdf"},
        name="statement-pdf",
    ),
    *[path(route, view, name=name) for route, view, name in PAGES],
]
