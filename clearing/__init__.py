"""Multilateral set-off of the open invoices between cooperatives (issue #18): the solver
(`solver.py`, pure Python) and, above `orders`, the clearing runs over real invoices."""
