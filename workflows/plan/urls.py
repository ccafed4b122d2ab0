from django.urls import path

from . import views, views_detail

app_name = "plan"
urlpatterns = [
    path("unions/<int:union_pk>/plans/", views.plan_list, name="list"),
    path("unions/<int:union_pk>/plans/new/", views.plan_new, name="new"),
    path("plans/<int:pk>/", views_detail.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:pk>/submit/", views.plan_submit_view, name="submit"),
    path("plans/<int:pk>/withdraw/", views.plan_withdraw_view, name="withdraw"),
    path("plans/<int:pk>/progress/<int:item_id>/", views_detail.plan_progress, name="progress"),
    path("plans/<int:pk>/reviews/", views_detail.plan_review, name="review"),
]
