"""Routes of the statutory calendar: a union's obligations and the records that meet them."""

from django.urls import path

from core import views_calendar

urlpatterns = [
    path("unions/<int:pk>/obligations/", views_calendar.obligations, name="obligations"),
    path("obligations/<int:pk>/record/", views_calendar.obligation_record_view, name="obligation_record"),
    path(
        "obligation-records/<int:pk>/file/",
        views_calendar.obligation_record_file,
        name="obligation_record_file",
    ),
]
