"""What a person does through the API (issue 32): the actions of the pages, on the same services."""

from django.urls import path

from api import views_actions as v

urlpatterns = [
    path("work-items/<int:item_id>/claim/", v.ClaimView.as_view(), name="work_item_claim"),
    path("work-items/<int:item_id>/transfer/", v.TransferView.as_view(), name="work_item_transfer"),
    path("work-items/<int:item_id>/decision/", v.DecisionView.as_view(), name="work_item_decision"),
    path("work-items/<int:item_id>/opinion/", v.OpinionView.as_view(), name="work_item_opinion"),
    path("work-items/<int:item_id>/urge/", v.UrgeView.as_view(), name="work_item_urge"),
    path(
        "unions/<int:union_pk>/expenditure-requests/",
        v.ExpenditureRequestView.as_view(),
        name="expenditure_request_create",
    ),
]
