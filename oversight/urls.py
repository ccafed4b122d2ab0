from django.urls import path

from oversight.views import (
    actions,
    efficiency,
    index,
    modelhome,
    reports,
    risk,
    scorecard,
    stuck,
    team,
    upward,
)

app_name = "oversight"

urlpatterns = [
    path("oversight/", index.index, name="index"),
    path("oversight/stuck/", stuck.stuck, name="stuck"),
    path("oversight/stuck/export/", stuck.stuck_export, name="stuck_export"),
    path("oversight/stuck/urge-union/", actions.urge_union, name="urge_union"),
    path("oversight/items/<int:pk>/reassign/", actions.reassign, name="reassign"),
    path("oversight/reports/", reports.reports, name="reports"),
    path("oversight/reports/export/", reports.reports_export, name="reports_export"),
    path("oversight/reports/urge/", reports.urge_report, name="urge_report"),
    path("oversight/scorecard/", scorecard.scorecard, name="scorecard"),
    path("oversight/scorecard/export/", scorecard.scorecard_export, name="scorecard_export"),
    path("oversight/efficiency/", efficiency.efficiency, name="efficiency"),
    path("oversight/efficiency/export/", efficiency.efficiency_export, name="efficiency_export"),
    path("oversight/risk/", risk.risk, name="risk"),
    path("oversight/team/", team.team, name="team"),  # S4.1, S4.2, S4.4
    path("oversight/model-home/", modelhome.model_home, name="model_home"),  # S5.2
    path("oversight/upward/", upward.upward, name="upward"),  # issue 33: upward summaries
    path("oversight/upward/export/", upward.upward_export, name="upward_export"),
]
