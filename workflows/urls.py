"""Collective steps and opinions, task actions: claim, release, transfer, add a
signer, comments, copy to."""

from django.urls import path

from workflows import views, views_actions, views_bulk, views_decisions, views_files, views_personal

app_name = "workflows"

urlpatterns = [
    path("bodies/<int:body_id>/meetings/new/", views_decisions.meeting_new, name="meeting_new"),
    path("work/", views.my_work, name="my_work"),
    path("work/agree/", views_bulk.bulk_agree, name="bulk_agree"),
    path("attachments/<int:pk>/", views_files.attachment_download, name="attachment"),
    path("work/<int:item_id>/decision/", views_decisions.written_decision, name="written_decision"),
    path("work/<int:item_id>/opinion/", views_decisions.opinion_answer_view, name="opinion_answer"),
    path("work/<int:item_id>/decide/", views_personal.personal_decision, name="personal_decision"),
    # task actions
    path("work/<int:item_id>/claim/", views_actions.claim, name="claim"),
    path("work/<int:item_id>/release/", views_actions.release, name="release"),
    path("work/<int:item_id>/transfer/", views_actions.transfer, name="transfer"),
    path("work/<int:item_id>/signer/", views_actions.add_signer, name="add_signer"),
    path("work/<int:item_id>/sign/", views_actions.signer_answer_view, name="signer_answer"),
    path("work/<int:item_id>/urge/", views_actions.urge, name="urge"),
    path("documents/<str:document_type>/<int:document_id>/comments/", views_actions.comment, name="comment"),
    path("documents/<str:document_type>/<int:document_id>/copy/", views_actions.copy_to, name="copy_to"),
]
