from django.urls import path

from . import views

app_name = "budget_adjustment"
urlpatterns = [
    path("unions/<int:union_pk>/budget-adjustments/", views.adjustment_list, name="list"),
    path("budgets/<int:budget_pk>/adjustments/new/", views.adjustment_new, name="new"),
    path("budget-adjustments/<int:pk>/", views.adjustment_detail, name="detail"),
    path("budget-adjustments/<int:pk>/edit/", views.adjustment_edit, name="edit"),
    path("budget-adjustments/<int:pk>/submit/", views.adjustment_submit_view, name="submit"),
    path("budget-adjustments/<int:pk>/withdraw/", views.adjustment_withdraw_view, name="withdraw"),
]
