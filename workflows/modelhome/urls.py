from django.urls import path

from . import views, views_standard

app_name = "modelhome"
urlpatterns = [
    # S5.1, S5.2: a union's Model Workers' Home: titles, applications, the standard in use
    path("unions/<int:union_pk>/model-home/", views.overview, name="overview"),
    path("unions/<int:union_pk>/model-home/apply/", views.apply, name="apply"),
    path("model-home/applications/<int:pk>/", views.application, name="application"),
    path("model-home/applications/<int:pk>/review/", views.review, name="review"),
    path("model-home/applications/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    # S5.2: the provincial organs union's evaluation standard, by year
    path("unions/<int:union_pk>/model-home/standards/", views_standard.standards, name="standards"),
    path("model-home/standards/<int:standard_pk>/", views_standard.standard, name="standard"),
]
