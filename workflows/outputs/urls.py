from django.urls import path

from workflows.outputs import views

app_name = "outputs"

urlpatterns = [
    path("outputs/<int:pk>/file/", views.output_download, name="download"),
]
