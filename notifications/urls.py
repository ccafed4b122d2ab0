from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/calendar-address/", views.ical_token_renew, name="ical_token_renew"),
]
