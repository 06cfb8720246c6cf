"""Flows that span several apps, above all of them (docs/architecture.md, "Apps and the direction
of dependencies"): each step is the owning app's own function; a flow only puts them in order, in
one transaction where it writes. No domain app imports this package."""
