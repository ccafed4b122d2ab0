from django.urls import path  # noqa: F401

app_name = "final_accounts"
urlpatterns: list = []
