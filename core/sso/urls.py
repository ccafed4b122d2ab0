"""Single sign-on's pages under /oidc/ (mozilla-django-oidc's views, wrapped in core.sso.views)."""

from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("oidc/authenticate/", views.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("oidc/signed-out/", views.signed_out, name="signed_out"),
]
