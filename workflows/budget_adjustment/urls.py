from django.urls import path  # noqa: F401

app_name = "budget_adjustment"
urlpatterns: list = []
