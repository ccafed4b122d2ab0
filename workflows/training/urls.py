from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("unions/<int:union_pk>/training/", views.training_list, name="list"),
    path("unions/<int:union_pk>/training/new/", views.training_new, name="new"),
    path("training/<int:pk>/", views.training_detail, name="detail"),
    path("training/<int:pk>/materials/", views.training_materials, name="materials"),
]
