from django.urls import path

from . import views, views_transfers

app_name = "members"
urlpatterns = [
    # S5.3 membership: the union's register
    path("unions/<int:union_pk>/members/", views.register, name="register"),
    path("unions/<int:union_pk>/members/add/", views.member_add, name="add"),
    path("unions/<int:union_pk>/members/import/", views.members_import, name="import"),
    path("unions/<int:union_pk>/members/export/", views.members_export, name="export"),
    path("members/<int:pk>/edit/", views.member_edit, name="edit"),
    path("members/<int:pk>/leave/", views.member_leave, name="leave"),
    # S5.3 membership: transfers between unions (asked by the sending union, decided by the receiving one)
    path("members/<int:pk>/transfer/", views_transfers.transfer_new, name="transfer_new"),
    path("member-transfers/<int:pk>/", views_transfers.transfer_detail, name="transfer"),
    path("member-transfers/<int:pk>/accept/", views_transfers.transfer_accept, name="transfer_accept"),
    path("member-transfers/<int:pk>/refuse/", views_transfers.transfer_refuse, name="transfer_refuse"),
    path("member-transfers/<int:pk>/cancel/", views_transfers.transfer_cancel, name="transfer_cancel"),
]
