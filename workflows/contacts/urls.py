from django.urls import path

from . import views, views_contact

app_name = "contacts"
urlpatterns = [
    # S4.4: the contact system (联系和服务基层制度)
    path("unions/<int:union_pk>/contacts/", views.coverage, name="coverage"),
    path("unions/<int:union_pk>/contacts/assign/", views.assign, name="assign"),
    path("unions/<int:union_pk>/contacts/readers/", views.viewer_add, name="viewer_add"),
    path("contacts/readers/<int:pk>/remove/", views.viewer_remove, name="viewer_remove"),
    path("contacts/mine/", views.mine, name="mine"),
    path("contacts/<int:pk>/", views_contact.detail, name="detail"),
    path("contacts/<int:pk>/log/", views_contact.log, name="log"),
    path("contacts/<int:pk>/reassign/", views_contact.reassign, name="reassign"),
    path("contacts/<int:pk>/end/", views_contact.end, name="end"),
    path("contacts/logs/<int:pk>/close/", views_contact.close_follow_up, name="close_follow_up"),
    path("contacts/logs/<int:pk>/plan/", views_contact.mark_for_plan, name="mark_for_plan"),
]
