"""A union's notification channels, under the union's address (unions/<pk>/…) like its other pages."""

from django.urls import path

from notifications import views

urlpatterns = [
    path("unions/<int:pk>/webhooks/", views.union_webhooks, name="union_webhooks"),
    path(
        "unions/<int:pk>/webhooks/<int:hook_pk>/active/",
        views.union_webhook_toggle,
        name="union_webhook_toggle",
    ),
]
