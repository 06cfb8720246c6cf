"""Requests for quotes, quotes, their threads, agreements and standing orders over HTTP. Thin:
`quotes.selectors` decides what a caller sees (404 otherwise), `quotes.services` writes. Awarding
and confirming a standing draft make orders: they live in `orders.api.views.quotes`."""

from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_get_for_member
from core.api.parsers import FormParser, JSONParser
from core.api.responses import (
    THROTTLED,
    WRITE_REFUSALS,
    private_file_responses,
    refusals,
)
from core.api.serializers import validated
from core.api.views import (
    ActionView,
    DetailView,
    ListCreateView,
    MessageThreadView,
    ObjectView,
    OneCooperativeListView,
)
from core.errors import NotPermitted
from core.storage import private_file_response
from quotes import selectors, services
from quotes.api.serializers import (
    AgreementAcceptSerializer,
    AgreementInputSerializer,
    AgreementListQuerySerializer,
    AgreementSerializer,
    ListQuerySerializer,
    QuoteInputSerializer,
    QuoteSerializer,
    QuoteTermsSerializer,
    RfqInputSerializer,
    RfqListQuerySerializer,
    RfqMessageInputSerializer,
    RfqMessageSerializer,
    RfqSerializer,
    StandingOrderInputSerializer,
    StandingOrderSerializer,
    ThreadQuerySerializer,
    quote_terms,
)


def _cooperative(request: Request, slug: str) -> Cooperative:
    return cooperative_get_for_member(user=request.user, slug=slug)


class CooperativeListView(OneCooperativeListView, ListCreateView):
    """A list of one of the caller's cooperatives (`?cooperative=`, else 404); a POST makes one
    for the cooperative its body names (`cooperative`, one of the caller's, else 404)."""

    query_class = ListQuerySerializer

    def cooperative(self, slug: str) -> Cooperative:
        return _cooperative(self.request, slug)

    def named_cooperative(self, data: dict[str, Any]) -> Cooperative:
        """The caller's cooperative a posted body names (else 404), taken out of `data`."""
        return self.cooperative(data.pop("cooperative"))


# --- requests for quotes ------------------------------------------------------------------


class RfqListView(CooperativeListView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]  # the project's safe JSON and form
    serializer_class = RfqSerializer
    query_class = RfqListQuerySerializer
    description = (
        "The requests one of your cooperatives sees: its own (`role=buyer`), those "
        "it may answer (`role=seller`: invited, or open to its category and region), or both."
    )
    select = staticmethod(selectors.rfq_list_for_cooperative)
    input_class = RfqInputSerializer
    create_request = {
        "application/json": RfqInputSerializer,
        "multipart/form-data": RfqInputSerializer,
    }
    create_description = (
        "Publish a request for quotes, privately to named cooperatives or openly to "
        "a category (and region); the sellers it reaches are told by e-mail. Owners and admins."
    )

    def create(self, data: dict[str, Any]) -> Any:
        buyer = self.named_cooperative(data)
        rfq = services.rfq_publish(buyer=buyer, actor=self.request.user, **data)
        return selectors.rfq_get_visible(user=self.request.user, rfq_id=rfq.pk).rfq


class RfqDetailView(DetailView):
    serializer_class = RfqSerializer
    description = "One request, for its buyer and the sellers it reaches."

    def target(self) -> Any:
        return selectors.rfq_get_visible(user=self.request.user, rfq_id=self.kwargs["pk"]).rfq

    def answer_context(self) -> dict[str, Any]:
        return {"request": self.request}  # the files' download addresses are absolute


class RfqAttachmentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=private_file_responses("file"),
        description="A file attached to the request, as an attachment in the type it was checked "
        "to be (a PDF or a JPEG, PNG or WebP image); for the buyer's members and the sellers the "
        "request is for.",
    )
    def get(self, request: Request, pk: int, attachment_id: int) -> HttpResponseBase:
        attachment = selectors.attachment_get_visible(
            user=request.user, rfq_id=pk, attachment_id=attachment_id
        )
        return private_file_response(
            attachment.file, content_type=attachment.content_type, download_name=attachment.name
        )


class QuoteListView(ListCreateView):
    permission_classes = [IsAuthenticated]
    serializer_class = QuoteSerializer
    errors = refusals(401, 404)
    description = (
        "The request's quotes with their versions, side by side: every quote for "
        "the buyer, its own for a seller."
    )
    input_class = QuoteInputSerializer
    create_description = (
        "Answer the request with a quote (its version 1). Owners and admins of an "
        "invited or matching seller; one quote per seller (then counter)."
    )

    def access(self) -> Any:
        return selectors.rfq_get_visible(user=self.request.user, rfq_id=self.kwargs["pk"])

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.quote_list(access=self.access())

    def create(self, data: dict[str, Any]) -> Any:
        access = self.access()
        seller = access.seller_for(data.get("cooperative", ""))
        if seller is None:
            raise Http404("No request with this id.")
        quote = services.quote_submit(
            rfq=access.rfq, seller=seller, actor=self.request.user, terms=quote_terms(data)
        )
        return selectors.quote_get_visible(user=self.request.user, quote_id=quote.pk)


class QuoteAction(ActionView):
    """An action on a quote the caller may see; the answer is the quote as it is after it."""

    serializer_class = QuoteSerializer

    def target(self) -> Any:
        return selectors.quote_get_visible(user=self.request.user, quote_id=self.kwargs["pk"])


class QuoteCounterView(QuoteAction):
    input_class = QuoteTermsSerializer
    created = True
    description = (
        "Answer with a new immutable version, from either side; at most the "
        "request's `max_counters` times (then 409 `counter_limit_reached`)."
    )

    def act(self, quote: Any, data: dict[str, Any]) -> None:
        services.quote_counter(quote=quote, actor=self.request.user, terms=quote_terms(data))


class QuoteWithdrawView(QuoteAction):
    description = "The seller takes its quote back while it is live."

    def act(self, quote: Any, data: dict[str, Any]) -> None:
        services.quote_withdraw(quote=quote, actor=self.request.user)


@extend_schema_view(
    get=extend_schema(
        parameters=[ThreadQuerySerializer],
        responses={200: RfqMessageSerializer(many=True), **refusals(401, 404)},
        description="The thread between the buyer and one seller, oldest first; no one else "
        "reads it. The buyer names the seller (`?seller=`).",
    )
)
class RfqMessageListView(MessageThreadView):
    serializer_class = RfqMessageSerializer

    def _thread(self, seller_slug: str) -> tuple[selectors.RfqAccess, Cooperative | None]:
        access = selectors.rfq_get_visible(user=self.request.user, rfq_id=self.kwargs["pk"])
        if access.is_buyer:
            seller = Cooperative.objects.filter(slug=seller_slug).first() if seller_slug else None
        else:
            seller = access.seller_for(seller_slug)
        return access, seller

    def get_queryset(self):  # type: ignore[no-untyped-def]
        access, seller = self._thread(
            validated(ThreadQuerySerializer, self.request.query_params).get("seller", "")
        )
        return selectors.message_list(access=access, seller=seller)

    @extend_schema(
        request=RfqMessageInputSerializer,
        responses={201: RfqMessageSerializer, **WRITE_REFUSALS, 429: THROTTLED},
        description="Write in the thread with one seller (the buyer names it as `seller`).",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = RfqMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access, seller = self._thread(data.validated_data.get("seller", ""))
        selectors.message_list(access=access, seller=seller)  # 404 for anyone else's thread
        message = services.message_post(
            rfq=access.rfq,
            seller=seller,  # type: ignore[arg-type]
            actor=request.user,
            body=data.validated_data["body"],
        )
        return Response(RfqMessageSerializer(message).data, status=status.HTTP_201_CREATED)


# --- agreements ---------------------------------------------------------------------------


class AgreementListView(CooperativeListView):
    serializer_class = AgreementSerializer
    query_class = AgreementListQuerySerializer
    description = (
        "One of your cooperatives' agreements, as seller, as buyer (itself or a "
        "buyer group it belongs to), or both; newest first, with their price rows."
    )
    select = staticmethod(selectors.agreement_list_for_cooperative)
    input_class = AgreementInputSerializer
    create_description = (
        "The seller proposes an agreement to one buyer or a buyer group it "
        "manages (a new version with `replaces`); proposing is the seller's acceptance."
    )

    def create(self, data: dict[str, Any]) -> Any:
        seller = self.named_cooperative(data)
        replaces = data.pop("replaces", None)
        if replaces is not None and replaces.seller_id != seller.pk:
            raise Http404("No agreement with this id.")
        agreement = services.agreement_propose(
            seller=seller,
            actor=self.request.user,
            replaces=replaces,
            prices=[dict(price) for price in data.pop("prices")],
            **data,
        )
        return selectors.agreement_get_visible(user=self.request.user, agreement_id=agreement.pk)


class AgreementObject(ObjectView):
    """An agreement the caller may see: its seller's, its buyer's (or the buyer group's
    members')."""

    serializer_class = AgreementSerializer

    def target(self) -> Any:
        return selectors.agreement_get_visible(
            user=self.request.user, agreement_id=self.kwargs["pk"]
        )


class AgreementDetailView(AgreementObject, DetailView):
    description = "One agreement, for its seller and its buyer (or the buyer group's members)."


class AgreementAction(AgreementObject, ActionView):
    """An action on the agreement; the answer is the agreement as it is after it."""


class AgreementAcceptView(AgreementAction):
    input_class = AgreementAcceptSerializer
    description = (
        "The buyer accepts (for a group agreement, any member's owner or admin): "
        "it then prices that buyer's cart, and the version it replaces stops applying."
    )

    def act(self, agreement: Any, data: dict[str, Any]) -> None:
        slug = data.get("cooperative")
        buyer = (
            _cooperative(self.request, slug)
            if slug
            else selectors.agreement_buyer_for(user=self.request.user, agreement=agreement)
        )
        if buyer is None:
            raise NotPermitted(_("Only the buyer accepts an agreement; the seller did."))
        services.agreement_accept(agreement=agreement, buyer=buyer, actor=self.request.user)


class AgreementEndView(AgreementAction):
    description = "Either side ends the agreement; prices fall back to the public ones."

    def act(self, agreement: Any, data: dict[str, Any]) -> None:
        services.agreement_end(agreement=agreement, actor=self.request.user)


# --- standing orders ----------------------------------------------------------------------


class StandingOrderListView(CooperativeListView):
    serializer_class = StandingOrderSerializer
    description = (
        "One of your cooperatives' standing orders, as buyer or as the agreement's "
        "seller, with their lines and drafts (a line short of stock is flagged)."
    )
    select = staticmethod(selectors.standing_order_list_for_cooperative)
    input_class = StandingOrderInputSerializer
    create_description = (
        "The buyer sets up a weekly or monthly order under an active agreement; "
        "each period is drafted once, to confirm or skip."
    )

    def create(self, data: dict[str, Any]) -> Any:
        buyer = self.named_cooperative(data)
        agreement = selectors.agreement_get_visible(
            user=self.request.user, agreement_id=data.pop("agreement")
        )
        standing = services.standing_order_create(
            buyer=buyer,
            actor=self.request.user,
            agreement=agreement,
            lines=[(line["listing"], line["quantity"]) for line in data.pop("lines")],
            **data,
        )
        return selectors.standing_order_get_visible(
            user=self.request.user, standing_order_id=standing.pk
        )


DRAFT = OpenApiParameter("draft", int, OpenApiParameter.PATH, description="A draft's id.")


class DraftAction(ActionView):
    """An action on one period's draft of a standing order the caller may see."""

    parameters = [DRAFT]

    def target(self) -> Any:
        return selectors.draft_get_visible(
            user=self.request.user,
            standing_order_id=self.kwargs["pk"],
            draft_id=self.kwargs["draft"],
        )


class DraftSkipView(DraftAction):
    serializer_class = StandingOrderSerializer
    description = "The buyer skips one period's draft: no order for that period."

    def act(self, draft: Any, data: dict[str, Any]) -> Any:
        services.draft_decide(draft=draft, actor=self.request.user, action="skip")
        return selectors.standing_order_get_visible(
            user=self.request.user, standing_order_id=self.kwargs["pk"]
        )
