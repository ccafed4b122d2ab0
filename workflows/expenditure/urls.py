from django.urls import path

from . import views, views_income

app_name = "expenditure"
urlpatterns = [
    path("unions/<int:union_pk>/expenditure/", views.request_list, name="list"),
    path("unions/<int:union_pk>/expenditure/new/", views.request_new, name="new"),
    path("expenditure/<int:pk>/", views.request_detail, name="detail"),
    path("expenditure/<int:pk>/edit/", views.request_edit, name="edit"),
    path("expenditure/<int:pk>/submit/", views.request_submit_view, name="submit"),
    path("expenditure/<int:pk>/withdraw/", views.request_withdraw_view, name="withdraw"),
    path("expenditure/<int:pk>/pay/", views.request_pay, name="pay"),
    path("expenditure/<int:pk>/attach/", views.request_attach, name="attach"),
    path("unions/<int:union_pk>/expenditure/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path(
        "unions/<int:union_pk>/expenditure/lines/<str:account_id>.xlsx",
        views.line_export,
        name="line_export",
    ),
    path("unions/<int:union_pk>/income/", views_income.income_page, name="income"),
    path("unions/<int:union_pk>/income/record/", views_income.income_record_view, name="income_record"),
]
