"""The provider's own claims of a person beyond Django's user (its migration made by hand)."""

from django.conf import settings
from django.db import models


class Claims(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    employee_number = models.CharField(max_length=40, blank=True)
    phone_number = models.CharField(max_length=30, blank=True)

    def __str__(self) -> str:
        return self.employee_number
