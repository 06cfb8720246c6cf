"""What every page view shares: calling a service and showing what went wrong."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeGuard, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import User
from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_get_for_member
from core.errors import DomainError
from frontend import page_shell
from frontend.forms import apply_errors
from orders.services import CheckoutConflict

T = TypeVar("T")


class HtmxRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for the type checker)."""

    htmx: HtmxDetails


class SignedInRequest(HtmxRequest):
    """A request of a view behind `login_required`: its user is a real account."""

    user: User


class Failed:
    """The result of a service call that was refused; the reason is already shown to the person."""

    def __bool__(self) -> bool:
        return False


FAILED = Failed()


def succeeded(result: T | Failed) -> TypeGuard[T]:
    return not isinstance(result, Failed)


def line_messages(request: HttpRequest, lines: list[dict[str, Any]]) -> None:
    """One warning per problem line of a checkout conflict (`CheckoutConflict.lines`, or the lines
    ordering again left out): each line's `detail`, which names the line and says why."""
    for line in lines:
        messages.warning(request, line["detail"])


def attempt(
    request: HttpRequest, service: Callable[[], T], *, form: forms.Form | None = None
) -> T | Failed:
    """Call a service; a refusal becomes a form error (when there is a form) or a message. A
    checkout conflict names its lines one by one after what it says of them all: one form error,
    or one warning, per line (`line_messages`), as the cart, checkout and order-again pages all
    show them.

    DomainError (NotPermitted, TransitionNotAllowed included) and ValidationError are the ways a
    service says no; neither may ever reach the person as a server error.
    """
    try:
        return service()
    except ValidationError as error:
        if form is not None:
            apply_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
    except CheckoutConflict as conflict:
        # Its detail, unless that only runs its lines' details together (then the lines say it).
        details = [line["detail"] for line in conflict.lines]
        lead = [] if conflict.detail == " ".join(details) else [conflict.detail]
        if form is not None:
            form.add_error(None, lead + details)
        else:
            for text in lead:
                messages.error(request, text)
            line_messages(request, conflict.lines)
    except DomainError as error:
        if form is not None:
            form.add_error(None, error.detail)
        else:
            messages.error(request, error.detail)
    return FAILED


def act(
    request: HttpRequest,
    service: Callable[[], T],
    done: str | Callable[[T], str],
    back: str,
) -> HttpResponse:
    """A button that asks a service for one thing: success says `done` (a text, or made from the
    result), a refusal says why; either way the person goes back to `back` (an address)."""
    result = attempt(request, service)
    if succeeded(result):
        messages.success(request, done(result) if callable(done) else done)
    return redirect(back)


def submit(
    request: HttpRequest,
    form: forms.Form,
    service: Callable[[], T],
    done: str | Callable[[T], str],
    back: str,
    *,
    invalid: str = "",
) -> HttpResponse:
    """A small form posted from a list or a record: an invalid form (`invalid`, else the form's
    own errors) or a refusal is a message, a success says `done`; either way the person goes back
    to `back`."""
    if not form.is_valid():
        errors = (str(error) for field_errors in form.errors.values() for error in field_errors)
        messages.error(request, invalid or " ".join(errors))
        return redirect(back)
    return act(request, service, done, back)


def post_form(
    request: HttpRequest,
    form: forms.Form,
    service: Callable[[], T],
    done: str | Callable[[T], str],
    then: str | Callable[[T], str],
) -> HttpResponse | None:
    """A page's own form: posted and valid, `service` is called (a refusal shows on the form)
    and, once it succeeded, the person reads `done` on the page `then` (each a text, or made
    from the result). None: the page is to be shown (again) with its form."""
    if request.method != "POST" or not form.is_valid():
        return None
    result = attempt(request, service, form=form)
    if not succeeded(result):
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)


# A record's buttons by the name the URL gives each: its service call and what success says.
Buttons = dict[str, tuple[Callable[[], Any], Any]]


def choose(request: HttpRequest, choice: str, buttons: Buttons, back: str) -> HttpResponse:
    """The button of `buttons` the URL names (`choice`; any other is a 404), pressed as `act`
    presses one; then back to `back`."""
    if choice not in buttons:
        raise Http404("No such action.")
    service, done = buttons[choice]
    return act(request, service, done, back)


def member_page(
    request: HttpRequest,
    slug: str,
    template: str,
    reads: Callable[[Cooperative], dict[str, Any]],
) -> HttpResponse:
    """A page of one of the person's own cooperatives (anyone else: 404): `template` rendered
    with the `cooperative` and what `reads(cooperative)` gives."""
    cooperative = cooperative_get_for_member(user=request.user, slug=slug)
    return render(request, template, {"cooperative": cooperative, **reads(cooperative)})


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points inside this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class _Scope:
    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def throttle_wait(request: HttpRequest, scope: str) -> int | None:
    """Seconds to wait when this client went over the API's rate for `scope`, else None.

    The pages share the API's counters (same cache keys), so switching from one to the other
    buys an attacker nothing.
    """
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, _Scope(scope)):  # type: ignore[arg-type]
        return None
    return max(1, int(throttle.wait() or 1))


@dataclass(frozen=True)
class NarrowPage:
    """What `frontend/narrow.html` shows (sign-in, sign-up, password reset, creating a
    cooperative): the `title`, the heading (the title when empty), one paragraph of `intro`, and
    the page's form, posted to the page itself, when it has a `submit` label; the template that
    extends it adds the links under the form. Its context: `page`."""

    title: Any
    heading: Any = ""
    intro: Any = ""
    submit: Any = ""
    multipart: bool = False


@dataclass(frozen=True)
class SearchPage:
    """A list with its filters beside it (the catalogue, the cooperatives' directory), shown by
    `frontend/search_page.html` from its `search`: the `title`, the filter form's `label` and
    `submit`, sent to the page itself by GET (so filters work without JavaScript and every search
    has an address), and the `folder` of its `_count.html` (beside the filters) and
    `_results.html` (the fragment htmx asks for alone)."""

    title: Any
    label: Any
    submit: Any
    folder: str

    @property
    def count_template(self) -> str:
        return f"{self.folder}/_count.html"

    @property
    def results_template(self) -> str:
        return f"{self.folder}/_results.html"

    def response(self, request: HtmxRequest, context: dict[str, Any]) -> HttpResponse:
        partial = request.htmx and not request.htmx.history_restore_request
        template = self.results_template if partial else "frontend/search_page.html"
        response = render(request, template, {**context, "search": self})
        patch_vary_headers(response, ("HX-Request",))
        return response

    def shared_response(
        self,
        request: HtmxRequest,
        build: Callable[[], dict[str, Any]],
        *,
        share: Callable[[HtmxRequest, str, Callable[[], str]], str],
        page_context: dict[str, Any],
    ) -> HttpResponse:
        """The same page when its filters and results are the same for every reader: they are
        rendered alone (`search_page_content.html`, or the results fragment htmx asks for) by
        `share(request, name, render)`, which may answer from a cache, and the reader's own
        header, messages and language switcher around them."""
        partial = request.htmx and not request.htmx.history_restore_request
        template = self.results_template if partial else "frontend/search_page_content.html"
        content = share(
            request,
            template,
            lambda: render_to_string(template, {**build(), "search": self}, request),
        )
        if partial:
            response = HttpResponse(content)
        else:  # the reader's header and footer around it, their shell kept (page_shell.py)
            context = {**page_context, "search": self}
            response = HttpResponse(
                page_shell.render_page(request, "frontend/search_page.html", context, content)
            )
        patch_vary_headers(response, ("HX-Request",))
        return response


def short_date(value: date | None) -> str:
    """A day (of a time: in the reader's zone) as the templates' `date:"SHORT_DATE_FORMAT"`
    writes it; empty for none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class Cell:
    """A cell of a `Table` that links somewhere: its text (already formatted for the reader) and
    the address; any other cell is its text alone."""

    text: Any
    url: str = ""


@dataclass(frozen=True)
class Table:
    """A table of rows read row by row, drawn by `frontend/includes/table.html`: a heading per
    column, the last `numbers` columns figures (aligned right), the first cell of a row as its
    header; each cell its text, formatted for the reader, or a `Cell` that links. On phones
    (`stack`) each row is a card with each cell labelled by its column, else the table scrolls
    sideways; `region`, its scroll box is a region labelled by `labelled_by` (a heading's id)
    that the keyboard can reach; `empty` when it has no rows."""

    labelled_by: str
    headings: list[Any]
    rows: list[list[Any]]
    empty: Any
    numbers: int = 0
    stack: bool = True
    region: bool = False

    @property
    def columns(self) -> list[tuple[Any, bool]]:
        """Each heading, and whether its column holds figures."""
        first_number = len(self.headings) - self.numbers
        return [(text, index >= first_number) for index, text in enumerate(self.headings)]

    @property
    def lines(self) -> list[list[tuple[Cell, Any, bool]]]:
        """Each row's cells with the heading of their column (the phone's label) and whether it
        is a figure."""
        return [
            [
                (cell if isinstance(cell, Cell) else Cell(cell), text, is_num)
                for cell, (text, is_num) in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]
