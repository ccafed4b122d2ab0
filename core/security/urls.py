from django.urls import path

from core.security import views

app_name = "security"
urlpatterns = [
    path("platform/audit/", views.audit_log, name="audit_log"),
    path("platform/audit/export/", views.audit_export, name="audit_export"),
    path("platform/otp/verify/", views.otp_verify, name="otp_verify"),
    path("platform/otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("platform/password/", views.password_change, name="password_change"),
]
