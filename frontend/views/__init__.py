"""Server-rendered pages over the same services, selectors and permissions as the API."""
