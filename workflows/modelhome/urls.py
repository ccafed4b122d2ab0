from django.urls import path  # noqa: F401

app_name = "modelhome"
urlpatterns: list = []
