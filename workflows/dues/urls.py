from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    # membership dues (会费): the year, a month's collection, the arrears, the basic wages
    path("unions/<int:union_pk>/dues/", views.overview, name="overview"),
    path("unions/<int:union_pk>/dues/settings/", views.settings_save, name="settings"),
    path("unions/<int:union_pk>/dues/<int:year>/<int:month>/", views.month_page, name="month"),
    path("unions/<int:union_pk>/dues/arrears/", views.arrears_page, name="arrears"),
    path("unions/<int:union_pk>/dues/arrears.xlsx", views.arrears_export, name="arrears_export"),
    path("unions/<int:union_pk>/dues/wages/", views.wages_page, name="wages"),
]
