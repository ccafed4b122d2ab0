from django.urls import path

from . import views, views_reelection

app_name = "roster"
urlpatterns = [
    # S4.2: the people who do union work
    path("unions/<int:union_pk>/roster/", views.roster, name="roster"),
    path("unions/<int:union_pk>/roster/add/", views.roster_add, name="add"),
    path("roster/<int:pk>/edit/", views.roster_edit, name="edit"),
    path("roster/<int:pk>/end/", views.roster_end, name="end"),
    # S4.1/S4.2: the committees' re-elections (换届)
    path("unions/<int:union_pk>/reelections/", views_reelection.reelections, name="reelections"),
    path("unions/<int:union_pk>/reelections/new/", views_reelection.reelection_new, name="reelection_new"),
]
