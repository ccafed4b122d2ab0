from django.urls import path

from . import views

app_name = "expenditure"
urlpatterns = [
    path("unions/<int:union_pk>/expenditure/", views.request_list, name="list"),
    path("unions/<int:union_pk>/expenditure/new/", views.request_new, name="new"),
    path("expenditure/<int:pk>/", views.request_detail, name="detail"),
    path("expenditure/<int:pk>/edit/", views.request_edit, name="edit"),
    path("expenditure/<int:pk>/submit/", views.request_submit_view, name="submit"),
    path("expenditure/<int:pk>/withdraw/", views.request_withdraw_view, name="withdraw"),
    path("expenditure/<int:pk>/pay/", views.request_pay, name="pay"),
]
