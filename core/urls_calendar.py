"""Routes of the statutory calendar and the union's notification channels (issue 6)."""

from django.urls import path, re_path

from core import views_calendar
from notifications import views as notification_views

urlpatterns = [
    path("unions/<int:pk>/obligations/", views_calendar.obligations, name="obligations"),
    path("obligations/<int:pk>/record/", views_calendar.obligation_record_view, name="obligation_record"),
    path(
        "obligation-records/<int:pk>/file/",
        views_calendar.obligation_record_file,
        name="obligation_record_file",
    ),
    # the token is secrets.token_urlsafe(24): 32 characters of [A-Za-z0-9_-]
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", views_calendar.ical_feed, name="ical_feed"),
    path("unions/<int:pk>/webhooks/", notification_views.union_webhooks, name="union_webhooks"),
    path(
        "unions/<int:pk>/webhooks/<int:hook_pk>/active/",
        notification_views.union_webhook_toggle,
        name="union_webhook_toggle",
    ),
]
