from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    # S5.3: the union's archive, its received records (移交), filing now, a year's dossier and transfer
    path("unions/<int:union_pk>/archive/", views.search, name="search"),
    path("unions/<int:union_pk>/archive/received/", views.received, name="received"),
    path("unions/<int:union_pk>/archive/file/", views.file_now, name="file_now"),
    path("unions/<int:union_pk>/archive/dossier/", views.year_dossier, name="dossier"),
    path("unions/<int:union_pk>/archive/transfer/", views.year_transfer, name="year_transfer"),
    # S5.3: one record, its stored file, its deletion after retention and its transfer
    path("archive/<int:pk>/", views.record_detail, name="record"),
    path("archive/<int:pk>/file/", views.record_file, name="download"),
    path("archive/<int:pk>/delete/", views.record_delete, name="delete"),
    path("archive/<int:pk>/transfer/", views.record_transfer, name="transfer"),
]
