"""The REST API's routes (issue 32): what a person reads (urls_read) and what they do (urls_actions)."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("api.urls_read")),
    path("", include("api.urls_actions")),
]
