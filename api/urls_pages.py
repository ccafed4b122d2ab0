"""The personal access tokens page (not part of the API), included from config/urls.py."""

from django.urls import path

from api import views_pages

app_name = "api_pages"
urlpatterns = [
    path("api-tokens/", views_pages.tokens, name="tokens"),
    path("api-tokens/<int:pk>/revoke/", views_pages.token_revoke_view, name="revoke"),
]
