from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@csrf_exempt  # an unknown API path is a 404 whatever the method, not a CSRF failure page
def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A crash answers JSON under /api/ (clients parse every error), the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on our side; it has been logged.", "code": "error"},
            status=500,
        )
    return defaults.server_error(request)
