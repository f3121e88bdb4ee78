from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("mustafid.core.urls")),
    path("accounts/", include("mustafid.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("mustafid.api.urls")),
    path("notifications/", include("mustafid.notifications.urls")),
    path("registry/", include("mustafid.registry.urls")),
    path("documents/", include("mustafid.documents.urls")),
    path("privacy/", include("mustafid.privacy.urls")),
    path("imports/", include("mustafid.imports.urls")),
    path("support/", include("mustafid.support.urls")),
]

handler500 = "mustafid.core.views.server_error"
