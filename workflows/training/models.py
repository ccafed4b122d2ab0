"""Training records (S4.3): a concentrated study, a seminar or a training class, with its sign-in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Union
from core.statutory import ObligationCode
from core.uploads import random_path


class TrainingKind(models.TextChoices):
    STUDY = "study", _("concentrated study")
    SEMINAR = "seminar", _("seminar")
    CLASS = "class", _("training class")


# S4.3: a study or a seminar meets the yearly study obligation of every union; a class meets the
# training-class obligation of department organ unions with many members (threshold: ObligationRule).
OBLIGATION_OF_KIND = {
    TrainingKind.STUDY: ObligationCode.STUDY,
    TrainingKind.SEMINAR: ObligationCode.STUDY,
    TrainingKind.CLASS: ObligationCode.TRAINING,
}


def materials_path(instance, filename: str) -> str:
    return random_path(f"training/{instance.union_id}")


class TrainingRecord(models.Model):
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="training_records")
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.CharField(_("trainer or speaker"), max_length=100)
    notes = models.TextField(_("content and notes"), blank=True)
    # checked when uploaded (services.training_record): the stored name is random, without the suffix
    materials = models.FileField(_("materials"), upload_to=materials_path, blank=True)
    materials_name = models.CharField(_("materials file name"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), related_name="training_attended"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        # the union's training page: its records of a year, newest first (selectors.records_of_year)
        indexes = [models.Index(fields=["union", "held_on"], name="training_union_held_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}（{self.held_on.isoformat()}）"

    @property
    def obligation_code(self) -> str:
        return OBLIGATION_OF_KIND[self.kind]
