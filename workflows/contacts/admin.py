from django.contrib import admin

from .models import ContactCadence


@admin.register(ContactCadence)
class ContactCadenceAdmin(admin.ModelAdmin):
    """Per union (or department union, or the provincial default): how often each contact is kept (S4.4);
    without a row, quarterly and monthly for workers in difficulty."""

    list_display = ["__str__", "every_months", "difficulty_every_months"]
    raw_id_fields = ["union"]
