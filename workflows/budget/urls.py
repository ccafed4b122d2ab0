from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("unions/<int:union_pk>/budgets/", views.budget_list, name="list"),
    path("unions/<int:union_pk>/budgets/new/", views.budget_new, name="new"),
    path("budgets/<int:pk>/", views.budget_detail, name="detail"),
    path("budgets/<int:pk>/edit/", views.budget_edit, name="edit"),
    path("budgets/<int:pk>/submit/", views.budget_submit_view, name="submit"),
    path("budgets/<int:pk>/withdraw/", views.budget_withdraw_view, name="withdraw"),
    path("budgets/<int:pk>/attachments/", views.budget_attach, name="attach"),
    path("budgets/<int:pk>/export.xlsx", views.budget_export, name="export"),
]
