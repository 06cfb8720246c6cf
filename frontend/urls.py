from django.urls import path

from frontend.views import (
    accounts,
    catalogue,
    cooperatives,
    decisions,
    moderation,
    orders,
    pages,
    payments,
    reports,
)
from orders.models import InvoiceKind

app_name = "frontend"

urlpatterns = [
    path("", pages.home, name="home"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("listings/<int:listing_id>/", catalogue.listing_detail, name="listing"),
    path("listings/<int:listing_id>/report/", catalogue.listing_report, name="listing-report"),
    path("my/cooperatives/<slug:slug>/listings/", catalogue.my_listings, name="my-listings"),
    path(
        "my/cooperatives/<slug:slug>/listings/new/",
        catalogue.listing_create,
        name="listing-create",
    ),
    path(
        "my/cooperatives/<slug:slug>/listings/catalogue.csv",
        catalogue.catalogue_export,
        name="catalogue-export",
    ),
    path(
        "my/cooperatives/<slug:slug>/listings/import/",
        catalogue.catalogue_import,
        name="catalogue-import",
    ),
    path(
        "my/cooperatives/<slug:slug>/listings/import/progress/<str:token>/",
        catalogue.catalogue_import_progress,
        name="catalogue-import-progress",
    ),
    path("my/listings/<int:listing_id>/", catalogue.listing_edit, name="listing-edit"),
    path("my/price-preview/", catalogue.price_preview, name="price-preview"),
    path(
        "my/listings/<int:listing_id>/images/",
        catalogue.listing_images_add,
        name="listing-images",
    ),
    path(
        "my/listings/<int:listing_id>/images/<int:image_id>/delete/",
        catalogue.listing_image_delete,
        name="listing-image-delete",
    ),
    path("my/listings/<int:listing_id>/submit/", catalogue.listing_submit, name="listing-submit"),
    path(
        "my/listings/<int:listing_id>/archive/", catalogue.listing_archive, name="listing-archive"
    ),
    path("signup/", accounts.signup, name="signup"),
    path("signin/", accounts.SignInView.as_view(), name="login"),
    path("signout/", accounts.SignOutView.as_view(), name="logout"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        accounts.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("my/account/", accounts.account, name="account"),
    path("my/account/password/", accounts.password_change, name="password-change"),
    path("my/account/confirmation/", accounts.confirmation_resend, name="confirmation-resend"),
    path("confirm/<str:token>/", accounts.confirm_email, name="confirm-email"),
    path("cooperatives/", cooperatives.directory, name="directory"),
    path("cooperatives/<slug:slug>/", cooperatives.profile, name="profile"),
    path("invitations/<str:token>/", cooperatives.invitation, name="invitation"),
    path("my/cooperatives/", cooperatives.my_cooperatives, name="my-cooperatives"),
    path("my/new-cooperative/", cooperatives.create, name="create"),
    path("my/cooperatives/<slug:slug>/", cooperatives.manage, name="manage"),
    path("my/cooperatives/<slug:slug>/edit/", cooperatives.edit, name="edit"),
    path(
        "my/cooperatives/<slug:slug>/verification/",
        cooperatives.verification,
        name="verification",
    ),
    path("my/cooperatives/<slug:slug>/payments/", payments.payments_page, name="payments"),
    path(
        "my/cooperatives/<slug:slug>/payments/card/",
        payments.payments_card,
        name="payments-card",
    ),
    path(
        "my/cooperatives/<slug:slug>/payments/card/refresh/",
        payments.payments_card_refresh,
        name="payments-card-refresh",
    ),
    path("my/cooperatives/<slug:slug>/invitations/", cooperatives.invite, name="invite"),
    path(
        "my/cooperatives/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        cooperatives.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "my/cooperatives/<slug:slug>/members/<int:membership_id>/role/",
        cooperatives.member_role,
        name="member-role",
    ),
    path(
        "my/cooperatives/<slug:slug>/members/<int:membership_id>/remove/",
        cooperatives.member_remove,
        name="member-remove",
    ),
    # Cart, checkout, orders, invoices
    path("cart/", orders.cart, name="cart"),
    path("cart/add/", orders.cart_add, name="cart-add"),
    path("cart/lines/<int:line_id>/", orders.cart_line_update, name="cart-line"),
    path(
        "cart/lines/<int:line_id>/confirm-price/",
        orders.cart_line_confirm_price,
        name="cart-line-confirm",
    ),
    path("cart/lines/<int:line_id>/remove/", orders.cart_line_remove, name="cart-line-remove"),
    path("checkout/", orders.checkout, name="checkout"),
    path("checkout/<int:checkout_id>/", orders.checkout_result, name="checkout-result"),
    path("orders/", orders.order_list, name="order-list"),
    path("orders/<int:order_id>/", orders.order_detail, name="order-detail"),
    path("orders/<int:order_id>/mark-paid/", orders.order_mark_paid, name="order-mark-paid"),
    path("orders/<int:order_id>/messages/", orders.message_post, name="order-messages"),
    path("orders/<int:order_id>/unflag/", orders.order_unflag, name="order-unflag"),
    path(
        "orders/<int:order_id>/invoice/",
        orders.invoice,
        {"kind": InvoiceKind.INVOICE},
        name="invoice",
    ),
    path(
        "orders/<int:order_id>/invoice.pdf",
        orders.invoice_pdf,
        {"kind": InvoiceKind.INVOICE},
        name="invoice-pdf",
    ),
    path(
        "orders/<int:order_id>/credit-note/",
        orders.invoice,
        {"kind": InvoiceKind.CREDIT_NOTE},
        name="credit-note",
    ),
    path(
        "orders/<int:order_id>/credit-note.pdf",
        orders.invoice_pdf,
        {"kind": InvoiceKind.CREDIT_NOTE},
        name="credit-note-pdf",
    ),
    path("orders/<int:order_id>/<str:action>/", orders.order_action, name="order-action"),
    # Trade reports
    path("reports/", reports.reports_home, name="reports"),
    path("network/", reports.network, name="network"),
    path("my/cooperatives/<slug:slug>/reports/", reports.trade, name="trade-report"),
    path("my/cooperatives/<slug:slug>/reports/trade.csv", reports.trade_csv, name="trade-csv"),
    # Decisions about my cooperative, and appeals
    path("cooperatives/<slug:slug>/decisions/", decisions.decision_list, name="decisions"),
    path(
        "cooperatives/<slug:slug>/decisions/<int:decision_id>/appeal/",
        decisions.appeal,
        name="appeal",
    ),
    # Moderation
    path("moderation/", moderation.listings, name="moderation"),
    path("moderation/reports/", moderation.reports, name="moderation-reports"),
    path("moderation/verification/", moderation.verification, name="moderation-verification"),
    path("moderation/appeals/", moderation.appeals, name="moderation-appeals"),
    path("moderation/cooperatives/", moderation.cooperatives, name="moderation-cooperatives"),
    path("moderation/log/", moderation.log, name="moderation-log"),
    path("moderation/listings/<int:listing_id>/", moderation.listing, name="moderation-listing"),
    path(
        "moderation/listings/<int:listing_id>/decide/",
        moderation.listing_decide,
        name="moderation-listing-decide",
    ),
    path(
        "moderation/cooperatives/<slug:slug>/",
        moderation.cooperative,
        name="moderation-cooperative",
    ),
    path(
        "moderation/cooperatives/<slug:slug>/decide/",
        moderation.cooperative_decide,
        name="moderation-cooperative-decide",
    ),
    path(
        "moderation/reports/<int:report_id>/resolve/",
        moderation.report_resolve,
        name="moderation-report-resolve",
    ),
    path(
        "moderation/appeals/<int:appeal_id>/resolve/",
        moderation.appeal_resolve,
        name="moderation-appeal-resolve",
    ),
]
