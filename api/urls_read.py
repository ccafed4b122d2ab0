"""The API's read routes (issue 32), and its schema and documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views_read

urlpatterns = [
    path("inbox/", views_read.InboxView.as_view(), name="inbox"),
    path(
        "documents/<str:document_type>/<int:document_id>/", views_read.DocumentView.as_view(), name="document"
    ),
    path("obligations/", views_read.ObligationsView.as_view(), name="obligations"),
    path("notifications/", views_read.NotificationsView.as_view(), name="notifications"),
    path("ledger/<int:union_pk>/<str:account_id>/", views_read.LedgerLineView.as_view(), name="ledger_line"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
