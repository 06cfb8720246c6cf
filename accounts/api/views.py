from django.contrib.auth import login, logout
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.serializers import (
    ApiTokenSerializer,
    CredentialsSerializer,
    LogoutInputSerializer,
    MeSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)
from accounts.models import ApiToken, User
from core.api.responses import THROTTLED, error
from core.api.serializers import ErrorSerializer, ValidationErrorSerializer, validated

LOCKED_OR_THROTTLED = error(
    "Too many requests (`throttled`), or too many failed sign-ins for this e-mail "
    "(`account_locked`, even with the right password); `Retry-After` says when to try again.",
)


class AuthThrottled(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]


class RegisterView(AuthThrottled):
    throttle_scope = "sign_up"

    @extend_schema(
        request=RegisterInputSerializer,
        responses={201: RegisterOutputSerializer, 400: ValidationErrorSerializer, 429: THROTTLED},
    )
    def post(self, request: Request) -> Response:
        data = validated(RegisterInputSerializer, request.data)
        user = services.user_register(
            email=data["email"],
            password=data["password"],
            name=data["name"],
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
        body = {"id": user.pk, "email": user.email, "name": user.name}
        body["token"] = services.user_token(user=user)
        return Response(RegisterOutputSerializer(body).data, status=status.HTTP_201_CREATED)


def _authenticate(
    request: Request, serializer: type[CredentialsSerializer] = CredentialsSerializer
) -> tuple[User, dict]:
    data = validated(serializer, request.data)
    user = services.user_authenticate(
        email=data["email"],
        password=data["password"],
        request=request._request,
    )
    return user, data


class TokenView(AuthThrottled):
    throttle_scope = "token"

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: ValidationErrorSerializer,
            429: LOCKED_OR_THROTTLED,
        },
        description="A new API key, valid `API_TOKEN_TTL_DAYS` (30) days. Only its hash is "
        "stored: keep it, it is shown this once. List and revoke your keys at `/auth/tokens/`.",
    )
    def post(self, request: Request) -> Response:
        user, data = _authenticate(request, TokenInputSerializer)
        new = services.token_create(user=user, name=data.get("name", ""))
        body = {"token": new.key, "id": new.token.pk, "expires_at": new.token.expires_at}
        return Response(TokenOutputSerializer(body).data)


class TokenListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # names the model for the schema; rows: the selector

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.token_list_for(self.request.user)  # type: ignore[arg-type]

    @extend_schema(description="Your live API keys, newest first (never the keys themselves).")
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)


class TokenDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={204: None, 404: OpenApiResponse(ErrorSerializer, description="Not yours.")},
        description="Revoke one of your API keys: it stops answering at once.",
    )
    def delete(self, request: Request, token_id: int) -> Response:
        token = selectors.token_list_for(request.user).filter(pk=token_id).first()  # type: ignore[arg-type]
        if token is None:
            raise Http404("No such token.")
        services.token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginView(AuthThrottled):
    """Session sign-in for the pages. DRF checks CSRF only for a session that is already signed
    in; this view creates one, so it checks CSRF for everyone: otherwise a cross-site form could
    sign the victim's browser into the attacker's account (login CSRF)."""

    throttle_scope = "sign_in"

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: MeSerializer,
            400: ValidationErrorSerializer,
            403: OpenApiResponse(
                ErrorSerializer,
                description="No valid CSRF token: send the `csrftoken` cookie of any page back "
                "in the `X-CSRFToken` header.",
            ),
            429: LOCKED_OR_THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        SessionAuthentication().enforce_csrf(request)
        user, _data = _authenticate(request)
        login(request._request, user)
        return Response(MeSerializer(user).data)


class LogoutView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        # Documented as JSON (or no body): a form post with no fields also signs out, but a
        # multipart body has no way to say "not an object", so the schema does not offer it.
        request={"application/json": LogoutInputSerializer},
        responses={204: None, 400: ValidationErrorSerializer},
        description="End the session; a request made with an API key also revokes that key, "
        'and `{"everywhere": true}` revokes every key of yours.',
    )
    def post(self, request: Request) -> Response:
        data = validated(LogoutInputSerializer, request.data)
        if isinstance(request.auth, ApiToken):
            services.token_revoke(token=request.auth, actor=request.user)  # type: ignore[arg-type]
        if data["everywhere"] and request.user.is_authenticated:
            services.tokens_revoke_all_for(request.user, reason="signed out everywhere")  # type: ignore[arg-type]
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        request=MeSerializer, responses={200: MeSerializer, 400: ValidationErrorSerializer}
    )
    def patch(self, request: Request) -> Response:
        data = MeSerializer(request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_update_profile(
            user=request.user,  # type: ignore[arg-type]
            name=data.validated_data.get("name"),
            language=data.validated_data.get("language"),
            time_zone=data.validated_data.get("time_zone"),
        )
        return Response(MeSerializer(user).data)
