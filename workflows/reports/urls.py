from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("unions/<int:union_pk>/reports/", views.report_list, name="list"),
    path("unions/<int:union_pk>/summaries/new/", views.summary_new, name="summary_new"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/edit/", views.summary_edit, name="summary_edit"),
    path("summaries/<int:pk>/submit/", views.summary_submit_view, name="summary_submit"),
    path("unions/<int:union_pk>/work-reports/new/", views.report_new, name="report_new"),
    path("unions/<int:union_pk>/finance-reports/new/", views.finance_report_new, name="finance_report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit_view, name="report_submit"),
    path("reports/<int:pk>/submit-upward/", views.report_submit_upward_view, name="report_submit_upward"),
    path("reports/<int:pk>/resubmit/", views.report_resubmit_view, name="report_resubmit"),
    path("unions/<int:union_pk>/received-reports/", views.received, name="received"),
    path("submissions/<int:pk>/acknowledge/", views.submission_acknowledge_view, name="acknowledge"),
    path("submissions/<int:pk>/return/", views.submission_return_view, name="return"),
]
