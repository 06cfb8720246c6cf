"""Receivables on the invoice rail: what an invoice asks, what was paid against it, the buyer's
payment notices, reminders, aging and statements (docs/receivables.md)."""
