"""The home page and the entry points of parts that later issues fill in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html")


def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/catalogue.html")
