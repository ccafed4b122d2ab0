from django.urls import path

from . import views

app_name = "execution"
urlpatterns = [
    path("unions/<int:union_pk>/execution/", views.review_list, name="list"),
    path("unions/<int:union_pk>/execution/new/", views.review_new, name="new"),
    path("unions/<int:union_pk>/execution/received/", views.reviews_received, name="received"),
    path("execution/<int:pk>/", views.review_detail, name="detail"),
    path("execution/<int:pk>/actuals/", views.review_actuals, name="actuals"),
    path("execution/<int:pk>/import/", views.review_import, name="import"),
    path("execution/<int:pk>/take-paid/", views.review_take_paid_view, name="take_paid"),
    path("execution/<int:pk>/template.xlsx", views.review_template, name="template"),
    path("execution/<int:pk>/file/", views.review_file_view, name="file"),
    path("execution/<int:pk>/export.xlsx", views.review_export, name="export"),
]
