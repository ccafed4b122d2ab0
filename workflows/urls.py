"""Collective steps and opinions (issue 4): meetings, written decisions, opinion answers, my work."""

from django.urls import path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("bodies/<int:body_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("work/", views.my_work, name="my_work"),
    path("work/<int:item_id>/decision/", views.written_decision, name="written_decision"),
    path("work/<int:item_id>/opinion/", views.opinion_answer_view, name="opinion_answer"),
]
