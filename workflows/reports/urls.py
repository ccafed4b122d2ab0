from django.urls import path

from . import views, views_received, views_report, views_summary

app_name = "reports"
urlpatterns = [
    path("unions/<int:union_pk>/reports/", views.report_list, name="list"),
    path("unions/<int:union_pk>/summaries/new/", views_summary.summary_new, name="summary_new"),
    path("summaries/<int:pk>/", views_summary.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/edit/", views_summary.summary_edit, name="summary_edit"),
    path("summaries/<int:pk>/submit/", views_summary.summary_submit_view, name="summary_submit"),
    path("unions/<int:union_pk>/work-reports/new/", views_report.report_new, name="report_new"),
    path(
        "unions/<int:union_pk>/finance-reports/new/",
        views_report.finance_report_new,
        name="finance_report_new",
    ),
    path("reports/<int:pk>/", views_report.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views_report.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views_report.report_submit_view, name="report_submit"),
    path(
        "reports/<int:pk>/submit-upward/", views_report.report_submit_upward_view, name="report_submit_upward"
    ),
    path("reports/<int:pk>/resubmit/", views_report.report_resubmit_view, name="report_resubmit"),
    path("unions/<int:union_pk>/received-reports/", views_received.received, name="received"),
    path("submissions/<int:pk>/acknowledge/", views_received.submission_acknowledge_view, name="acknowledge"),
    path("submissions/<int:pk>/return/", views_received.submission_return_view, name="return"),
]
