"""The project's URLs plus P1's baseline: a minimal authenticated page (bench settings only)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


@login_required
def minimal(request):
    """Same middleware as every page (session, auth, idle timeout, language, axes), one-line template."""
    return render(request, "bench/minimal.html")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *project_urlpatterns]
