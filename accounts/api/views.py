from django.contrib.auth import login, logout
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import (
    CredentialsSerializer,
    MeSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenOutputSerializer,
)
from accounts.models import User
from core.api.responses import THROTTLED, error
from core.api.serializers import ValidationErrorSerializer

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
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            name=data.validated_data["name"],
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
        body = {"id": user.pk, "email": user.email, "name": user.name}
        body["token"] = services.user_token(user=user)
        return Response(RegisterOutputSerializer(body).data, status=status.HTTP_201_CREATED)


def _authenticate(request: Request) -> User:
    data = CredentialsSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return services.user_authenticate(
        email=data.validated_data["email"],
        password=data.validated_data["password"],
        request=request._request,
    )


class TokenView(AuthThrottled):
    throttle_scope = "token"

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: TokenOutputSerializer,
            400: ValidationErrorSerializer,
            429: LOCKED_OR_THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        return Response({"token": services.user_token(user=user)})


class LoginView(AuthThrottled):
    throttle_scope = "sign_in"

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: MeSerializer, 400: ValidationErrorSerializer, 429: LOCKED_OR_THROTTLED},
    )
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        login(request._request, user)
        return Response(MeSerializer(user).data)


class LogoutView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
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
        )
        return Response(MeSerializer(user).data)
