from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("oversight/stuck/", views.stuck, name="stuck"),
]
