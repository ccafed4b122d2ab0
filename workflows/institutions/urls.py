from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    # S4.1, S5.3: the committees' working rules and the union's institutions
    path("unions/<int:union_pk>/institutions/", views.overview, name="overview"),
    path("unions/<int:union_pk>/institutions/new/", views.rules_new, name="new"),
    path("institutions/<int:pk>/", views.rules_detail, name="detail"),
    path("institutions/<int:pk>/edit/", views.rules_edit, name="edit"),
    path("institutions/<int:pk>/submit/", views.rules_submit_view, name="submit"),
    path("institutions/<int:pk>/withdraw/", views.rules_withdraw_view, name="withdraw"),
]
