"""core.middleware.CSPMiddleware writes the headers django-csp's own middleware writes, with the
site's policy built once: the same policy, the same exclusions, a new policy after the settings
change, and django-csp's own answer for a nonce or a view's own policy."""

from collections.abc import Callable

import csp.middleware
import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from core.middleware import CSPMiddleware


def _headers(middleware: type, path: str, view: Callable[[HttpRequest], HttpResponse]) -> tuple:
    response = middleware(view)(RequestFactory().get(path))
    return response.get(HEADER), response.get(HEADER_REPORT_ONLY)


def _same(path: str = "/api/v1/listings/", view=None) -> tuple:  # type: ignore[no-untyped-def]
    view = view or (lambda request: HttpResponse("{}"))
    ours = _headers(CSPMiddleware, path, view)
    assert ours == _headers(csp.middleware.CSPMiddleware, path, view)
    return ours


def test_the_site_policy_is_django_csps(settings):  # type: ignore[no-untyped-def]
    policy, report_only = _same()
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert report_only is None
    assert _same() == (policy, None)  # built once, written again


def test_a_new_policy_in_the_settings_is_written_at_once(settings):  # type: ignore[no-untyped-def]
    before, _none = _same()
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": [SELF], "img-src": [SELF, "https://img.example"]},
        "EXCLUDE_URL_PREFIXES": ["/admin/"],
    }
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": [SELF]}}
    policy, report_only = _same()
    assert policy != before and "https://img.example" in policy
    assert "script-src 'self'" in report_only
    assert _same("/admin/") == (None, report_only)


@pytest.mark.parametrize("own", ["_csp_update", "_csp_replace", "_csp_exempt"])
def test_a_view_with_a_policy_of_its_own_gets_django_csps_answer(settings, own):  # type: ignore[no-untyped-def]
    values = {
        "_csp_update": {"img-src": ["https://maps.example"]},
        "_csp_replace": {"img-src": ["https://maps.example"]},
        "_csp_exempt": True,
    }

    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("page")
        setattr(response, own, values[own])
        return response

    policy, _report_only = _same(view=view)
    assert (policy is None) == (own == "_csp_exempt")


def test_a_request_that_took_a_nonce_gets_it_in_its_header(settings):  # type: ignore[no-untyped-def]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    nonces = []

    def view(request: HttpRequest) -> HttpResponse:
        nonces.append(str(request.csp_nonce))  # type: ignore[attr-defined]
        return HttpResponse("page")

    policy, _report_only = _headers(CSPMiddleware, "/", view)
    assert f"script-src 'self' 'nonce-{nonces[0]}'" in policy
    without, _report_only = _headers(CSPMiddleware, "/", lambda request: HttpResponse())
    assert "script-src 'self'" in without and "nonce-" not in without


def test_an_answer_that_has_its_header_keeps_it(settings):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("{}")
        response[HEADER] = "default-src 'none'"
        return response

    assert _same(view=view)[0] == "default-src 'none'"
