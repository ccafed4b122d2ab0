from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Wuyi administration")
admin.site.site_title = _("Wuyi")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("", include("workflows.urls_kinds")),  # every document kind's pages (workflows.registry)
    path("", include("workflows.execution.urls")),
    path("", include("workflows.training.urls")),  # S4.3
    path("", include("workflows.roster.urls")),  # S4.2
    path("", include("workflows.institutions.urls")),  # S4.1
    path("", include("workflows.contacts.urls")),  # S4.4
    path("", include("workflows.members.urls")),  # S5.3 membership
    path("", include("workflows.dues.urls")),  # dues
    path("", include("workflows.memberpages.urls")),  # S5.4
    path("", include("workflows.surveys.urls")),  # S5.2 satisfaction surveys
    path("", include("workflows.modelhome.urls")),  # S5.1, S5.2 the Model Workers' Home
    path("", include("workflows.outputs.urls")),  # official outputs (PDF)
    path("", include("workflows.meetingpapers.urls")),  # meeting notices, sign-in sheets, minutes
    path("", include("workflows.archive.urls")),  # S5.3 the archive
    path("", include("workflows.urls")),
    path("", include("workflows.urls_personal")),
    path("", include("notifications.urls_union")),
    path("", include("core.urls_calendar")),
    path("", include("workbench.urls")),
    path("", include("oversight.urls")),
    path("api/", include("api.urls")),  # the REST API (issue 32)
    path("", include("api.urls_pages")),  # the person's API access tokens (issue 32)
    path("", include("core.sso.urls")),  # single sign-on, people sync
    path("", include("core.security.urls")),  # 等保 2.0 administration and audit
    path("", include("core.urls")),
]
