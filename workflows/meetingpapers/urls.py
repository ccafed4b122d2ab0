from django.urls import path

from . import views

app_name = "meetingpapers"

urlpatterns = [
    path("bodies/<int:body_id>/notices/", views.notices, name="notices"),
    path("notices/<int:pk>/file/", views.notice_file, name="notice_file"),
    path("notices/<int:pk>/sign-in/", views.notice_sign_in, name="notice_sign_in"),
    path("meetings/<int:pk>/papers/", views.meeting_papers, name="meeting_papers"),
]
