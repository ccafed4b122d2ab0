from django.urls import path

from . import views_hearings, views_requests

app_name = "party"
urlpatterns = [
    # S1.3: the catalogue and the requests for instructions and reports
    path("unions/<int:union_pk>/party/catalogue/", views_requests.catalogue, name="catalogue"),
    path("unions/<int:union_pk>/party/requests/", views_requests.request_list, name="request_list"),
    path("unions/<int:union_pk>/party/requests/new/", views_requests.request_new, name="request_new"),
    path("party/requests/<int:pk>/", views_requests.request_detail, name="request_detail"),
    path("party/requests/<int:pk>/edit/", views_requests.request_edit, name="request_edit"),
    path("party/requests/<int:pk>/submit/", views_requests.request_submit_view, name="request_submit"),
    path("party/requests/<int:pk>/withdraw/", views_requests.request_withdraw_view, name="request_withdraw"),
    path("party/requests/<int:pk>/carried-out/", views_requests.carried_out_view, name="carried_out"),
    # S1.2: the hearing of union work and its action items
    path("unions/<int:union_pk>/party/hearings/", views_hearings.hearing_list, name="hearing_list"),
    path("unions/<int:union_pk>/party/hearings/new/", views_hearings.hearing_new, name="hearing_new"),
    path("party/hearings/<int:pk>/", views_hearings.hearing_detail, name="hearing_detail"),
    path("party/hearings/<int:pk>/edit/", views_hearings.hearing_edit, name="hearing_edit"),
    path("party/hearings/<int:pk>/submit/", views_hearings.hearing_submit_view, name="hearing_submit"),
    path("party/hearings/<int:pk>/withdraw/", views_hearings.hearing_withdraw_view, name="hearing_withdraw"),
    path("work/<int:item_id>/hearing/", views_hearings.hearing_record_view, name="hearing_record"),
    path(
        "party/action-items/<int:pk>/close/", views_hearings.action_item_close_view, name="action_item_close"
    ),
]
