from django.urls import path

from . import views, views_union

app_name = "surveys"
urlpatterns = [
    # S5.2: a member answers with their one-time link (no sign-in)
    path("survey/thanks/", views.thanks, name="thanks"),
    path("survey/<str:token>/", views.answer, name="answer"),
    # S5.2: the union's office runs its surveys; the supervisors above read the results
    path("unions/<int:union_pk>/surveys/", views_union.cycles, name="list"),
    path("unions/<int:union_pk>/surveys/<int:pk>/edit/", views_union.edit, name="edit"),
    path("unions/<int:union_pk>/surveys/<int:pk>/open/", views_union.open_cycle, name="open"),
    path("unions/<int:union_pk>/surveys/<int:pk>/tokens/", views_union.tokens, name="tokens"),
    path("unions/<int:union_pk>/surveys/<int:pk>/close/", views_union.close_cycle, name="close"),
    path("unions/<int:union_pk>/surveys/<int:pk>/results/", views_union.results, name="results"),
    path("unions/<int:union_pk>/surveys/<int:pk>/results.xlsx", views_union.export, name="export"),
    path("unions/<int:union_pk>/surveys/<int:pk>/reply/", views_union.reply, name="reply"),
]
