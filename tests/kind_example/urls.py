from django.urls import path

from . import views

app_name = "kind_example"
urlpatterns = [path("notices/<int:pk>/", views.notice_detail, name="detail")]
