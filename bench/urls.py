"""The project's URLs plus the bench's own pages (bench settings only): P1's baseline, a minimal
authenticated page, and P6's bare click (bench/bareflow/views.py, when bench.bareflow is installed)."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


@login_required
def minimal(request):
    """Same middleware as every page (session, auth, idle timeout, language, axes), one-line template."""
    return render(request, "bench/minimal.html")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal")]
if apps.is_installed("bench.bareflow"):
    from bench.bareflow.views import bare_step

    urlpatterns.append(path("bench/bare/<int:process_pk>/<str:step>/", bare_step, name="bench_bare_step"))
urlpatterns += project_urlpatterns
