from django.urls import path

from . import views, views_union

app_name = "memberpages"
urlpatterns = [
    # S5.4: the members' own pages, open to a member in force (no seat needed)
    path("my-union/", views.home, name="home"),
    path("my-union/opinions/", views.opinions, name="opinions"),
    # S5.4: a member accepts their invitation (signed out): the link, or the member number and the code
    path("join/", views.join, name="join"),
    path("join/<str:token>/", views.join_link, name="join_link"),
    # S5.4: the union's office invites members and answers them; its seats and the supervisors above
    # see what it published
    path("unions/<int:union_pk>/member-invitations/", views_union.invitations, name="invitations"),
    path("unions/<int:union_pk>/member-opinions/", views_union.union_opinions, name="union_opinions"),
    path("member-opinions/<int:pk>/answer/", views_union.answer, name="answer"),
    path("unions/<int:union_pk>/open-affairs/", views_union.union_open_affairs, name="published"),
]
