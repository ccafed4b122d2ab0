"""A person's own pages outside any union: delegation while away and the iCal feed of deadlines."""

from django.urls import path, re_path

from workflows import views_delegation, views_ical

urlpatterns = [
    path("delegations/", views_delegation.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", views_delegation.delegation_revoke_view, name="delegation_revoke"),
    # the token is secrets.token_urlsafe(24): 32 characters of [A-Za-z0-9_-]
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", views_ical.ical_feed, name="ical_feed"),
]
