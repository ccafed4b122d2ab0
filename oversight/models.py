"""Figures of the oversight pages kept for the provincial scope.

Counting 180,000 stuck items, grading 270,000 obligations or taking medians over a year of finished
steps costs seconds when the scope is the whole province; a supervisor's page must answer in
100–300 ms. ``Rollup`` keeps, per root union and page, the result of the very selectors the live page
would run (``oversight.rollups``), refreshed by a beat sweep and shown with the moment it was taken.
The figures are a cache of a report, not facts anyone filters on: they are stored as JSON.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Union


class RollupPage(models.TextChoices):
    STUCK = "stuck", _("stuck approvals")
    SCORECARD = "scorecard", _("compliance scorecard")
    EFFICIENCY = "efficiency", _("efficiency")


class Rollup(models.Model):
    # The root of the tree whose unions below are summed up (the provincial federation).
    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="+")
    page = models.CharField(_("page"), max_length=20, choices=RollupPage.choices)
    # The filter values the figures are for, e.g. "year=2026&kind=" (oversight.rollups builds it).
    variant = models.CharField(_("filters"), max_length=100, blank=True)
    figures = models.JSONField(_("figures"))
    taken_at = models.DateTimeField(_("as of"))

    class Meta:
        verbose_name = _("oversight rollup")
        verbose_name_plural = _("oversight rollups")
        constraints = [
            # one row per page and filters: the sweep and a page filling a miss upsert on it
            models.UniqueConstraint(fields=["union", "page", "variant"], name="rollup_once"),
        ]

    def __str__(self) -> str:
        return f"{self.page} {self.variant} @ {self.taken_at:%Y-%m-%d %H:%M}"
