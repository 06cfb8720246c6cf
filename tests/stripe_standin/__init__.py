"""A local Stripe stand-in for tests and docker-compose: localstripe plus what Minga needs from it.

localstripe (PyPI, GPL-3.0-or-later) runs PaymentIntents, refunds and signed webhooks. `app`
adds Connect (Express accounts, account links, transfers, transfer reversals), `transfer_group`,
idempotency replay, disputes, more events, fault injection and test hooks under `/_minga/`.
`server` runs it in a background thread on a free 127.0.0.1 port; `driver` drives the hooks from a
test; `fixtures` is the pytest plugin; `python -m tests.stripe_standin` serves it for docker-compose.

This is test tooling, not product code: nothing outside `tests/` imports it.
"""
