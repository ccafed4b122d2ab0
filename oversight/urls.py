from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("oversight/stuck/", views.stuck, name="stuck"),
    path("oversight/stuck/export/", views.stuck_export, name="stuck_export"),
    path("oversight/stuck/urge-union/", views.urge_union, name="urge_union"),
    path("oversight/items/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("oversight/reports/", views.reports, name="reports"),
    path("oversight/reports/export/", views.reports_export, name="reports_export"),
    path("oversight/reports/urge/", views.urge_report, name="urge_report"),
    path("oversight/scorecard/", views.scorecard, name="scorecard"),
    path("oversight/scorecard/export/", views.scorecard_export, name="scorecard_export"),
    path("oversight/efficiency/", views.efficiency, name="efficiency"),
    path("oversight/efficiency/export/", views.efficiency_export, name="efficiency_export"),
]
