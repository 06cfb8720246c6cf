from django.contrib.auth import authenticate, login, logout
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
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
from core.api.serializers import ValidationErrorSerializer

BAD_CREDENTIALS = "Unable to sign in with this e-mail and password."


class AuthThrottled(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(AuthThrottled):
    @extend_schema(
        request=RegisterInputSerializer,
        responses={201: RegisterOutputSerializer, 400: ValidationErrorSerializer},
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


def _authenticate(request: Request):  # type: ignore[no-untyped-def]
    data = CredentialsSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(
        request._request,
        username=data.validated_data["email"],
        password=data.validated_data["password"],
    )
    if user is None:
        raise ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
    return user


class TokenView(AuthThrottled):
    @extend_schema(
        request=CredentialsSerializer,
        responses={200: TokenOutputSerializer, 400: ValidationErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        return Response({"token": services.user_token(user=user)})


class LoginView(AuthThrottled):
    @extend_schema(
        request=CredentialsSerializer,
        responses={200: MeSerializer, 400: ValidationErrorSerializer},
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
