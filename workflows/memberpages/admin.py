from django.contrib import admin

from .models import MemberPagesRule


@admin.register(MemberPagesRule)
class MemberPagesRuleAdmin(admin.ModelAdmin):
    """Per union (or department union, or the provincial default): how long an invitation to the members'
    pages is valid, and within how many working days members' opinions are answered (S5.4)."""

    list_display = ["__str__", "invitation_valid_days", "answer_within_working_days"]
    raw_id_fields = ["union"]
