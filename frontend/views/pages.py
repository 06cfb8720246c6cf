"""The home page and the entry points of parts that later issues fill in."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cooperatives.permissions import is_moderator


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html")


def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/catalogue.html")


def moderation(request: HttpRequest) -> HttpResponse:
    if not is_moderator(request.user):
        raise Http404("Not found.")
    return render(request, "frontend/moderation.html")
