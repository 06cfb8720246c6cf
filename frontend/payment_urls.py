"""The pages of card settlement (included by config/urls.py beside the frontend's; the namespace
keeps its name, so links and Stripe's return URLs do not change)."""

from django.urls import path

from frontend.views import payment_pages as views

app_name = "orders-pages"

urlpatterns = [
    path("checkout/<int:pk>/pay/", views.checkout_pay, name="checkout-pay"),
    path("stripe/onboarding/<slug:slug>/", views.stripe_onboard, name="stripe-onboard"),
    path("stripe/refresh/<slug:slug>/", views.stripe_refresh, name="stripe-refresh"),
    path("stripe/return/<slug:slug>/", views.stripe_return, name="stripe-return"),
]
