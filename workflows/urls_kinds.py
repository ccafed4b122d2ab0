"""The pages of every registered document kind (each kind names its URL module in the registry)."""

from django.urls import include, path

from workflows import registry

urlpatterns = [path("", include(module)) for module in registry.url_modules()]
