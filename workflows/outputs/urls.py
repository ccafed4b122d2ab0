from django.urls import path

from workflows.outputs import views, views_approval, views_official

app_name = "outputs"

urlpatterns = [
    path("outputs/<int:pk>/file/", views.output_download, name="download"),
    path(
        "outputs/approval/<slug:document_type>/<int:document_id>/",
        views_approval.approval_sheet_make,
        name="approval_sheet",
    ),
    # 签发 and revoke an official document (issue 33); POST with kind = official or cover_letter
    path(
        "outputs/official/<slug:document_type>/<int:document_id>/issue/",
        views_official.official_issue,
        name="official_issue",
    ),
    path(
        "outputs/official/<slug:document_type>/<int:document_id>/revoke/",
        views_official.official_revoke,
        name="official_revoke",
    ),
]
