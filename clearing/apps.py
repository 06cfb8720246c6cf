from django.apps import AppConfig


class ClearingConfig(AppConfig):
    name = "clearing"
    verbose_name = "Clearing"

    def ready(self) -> None:
        # ledger_check re-derives the clearing runs' entries too (clearing/books.py).
        from clearing.books import postings_from_runs
        from orders.books_check import add_source

        add_source(postings_from_runs)
