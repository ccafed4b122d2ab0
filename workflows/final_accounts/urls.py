from django.urls import path

from . import views

app_name = "final_accounts"
urlpatterns = [
    path("unions/<int:union_pk>/final-accounts/", views.final_accounts_list, name="list"),
    path("unions/<int:union_pk>/final-accounts/new/", views.final_accounts_new, name="new"),
    path("final-accounts/<int:pk>/", views.final_accounts_detail, name="detail"),
    path("final-accounts/<int:pk>/edit/", views.final_accounts_edit, name="edit"),
    path("final-accounts/<int:pk>/take-paid/", views.final_accounts_take_paid_view, name="take_paid"),
    path("final-accounts/<int:pk>/template.xlsx", views.final_accounts_template, name="template"),
    path("final-accounts/<int:pk>/submit/", views.final_accounts_submit_view, name="submit"),
    path("final-accounts/<int:pk>/withdraw/", views.final_accounts_withdraw_view, name="withdraw"),
    path("final-accounts/<int:pk>/audit-report/", views.audit_report_upload, name="audit_report"),
]
