"""The platform administrators' console is the Django admin: each role's group holds exactly its
models' permissions (core.security.roles), so each sees only its own part. The auditor sees the audit
log alone, read only, and each of their reads is itself logged."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import UserAdmin as CoreUserAdmin
from core.models import User
from core.security import errors
from core.security.audit import audit_record
from core.security.models import AuditEntry, AuditKind, PasswordHistory, PersonSession, PlatformRole
from core.security.roles import (
    AUDITOR,
    has_platform_role,
    platform_role,
    platform_role_grant,
    platform_role_revoke,
)
from core.security.sessions import _store


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read by the auditor only — not even the installation account (三员分立)."""

    list_display = ["at", "kind", "actor_name", "ip", "path", "object"]
    list_filter = ["kind"]
    search_fields = ["actor_name", "path", "object"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_module_permission(self, request) -> bool:
        return has_platform_role(request.user, AUDITOR)

    def has_view_permission(self, request, obj=None) -> bool:
        return has_platform_role(request.user, AUDITOR) and super().has_view_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        if self.has_view_permission(request):
            audit_record(
                kind=AuditKind.AUDIT_READ,
                request=request,
                object="audit log (admin)",
                detail={"query": request.GET.urlencode()[:500]},
            )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.has_view_permission(request):
            audit_record(kind=AuditKind.AUDIT_READ, request=request, object=f"audit log entry {object_id}")
        return super().change_view(request, object_id, form_url, extra_context)


class PlatformRoleForm(forms.ModelForm):
    class Meta:
        model = PlatformRole
        fields = ["user", "role"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user.is_superuser:
            raise ValidationError(errors.ROLE_SUPERUSER)
        return user


@admin.register(PlatformRole)
class PlatformRoleAdmin(admin.ModelAdmin):
    """Granted and revoked through the service (group, staff status, audit entry), never edited."""

    form = PlatformRoleForm
    list_display = ["user", "role", "granted_by", "granted_on"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        granted = platform_role_grant(actor=request.user, user=obj.user, role=obj.role)
        obj.pk = granted.pk

    def delete_model(self, request, obj):
        platform_role_revoke(actor=request.user, user=obj.user)

    def delete_queryset(self, request, queryset):
        for held in queryset.select_related("user"):
            platform_role_revoke(actor=request.user, user=held.user)


@admin.register(PasswordHistory)
class PasswordHistoryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "changed_at"]
    fields = ["user", "changed_at"]
    search_fields = ["user__full_name"]


@admin.register(PersonSession)
class PersonSessionAdmin(admin.ModelAdmin):
    """The security administrator ends a session by deleting it here."""

    list_display = ["user", "created", "ip"]
    fields = ["user", "created", "ip"]
    search_fields = ["user__full_name"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj):
        _store()(session_key=obj.session_key).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for held in queryset:
            _store()(session_key=held.session_key).delete()
        super().delete_queryset(request, queryset)


class PlatformUserAdmin(CoreUserAdmin):
    """People as the security administrator keeps them: accounts, not privileges. Superuser and staff
    status, groups and permissions stay with the installation account and the role grant; a platform
    administrator's own account, or the installation account, is changed by the installation only."""

    PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in self.PRIVILEGE_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return not obj.is_superuser and platform_role(obj) is None


admin.site.unregister(User)
admin.site.register(User, PlatformUserAdmin)
