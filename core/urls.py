from django.urls import path

from core import views, views_people

urlpatterns = [
    path("unions/", views.union_list, name="union_list"),
    path("unions/<int:pk>/", views.union_detail, name="union_detail"),
    path("unions/<int:pk>/seats/add/", views.seat_add, name="seat_add"),
    path("seats/<int:pk>/end/", views.seat_finish, name="seat_end"),
    # the people picker's search (core.forms_people): ?for=<action>&ref=<object>&name=<field>
    path("people/search/", views_people.people_search_view, name="people_search"),
]
