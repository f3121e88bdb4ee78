from django.urls import path

from mustafid.privacy import views

app_name = "privacy"

urlpatterns = [
    path("files/<str:number>/consents/new/", views.record_consent, name="record_consent"),
    path(
        "files/<str:number>/consents/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("files/<str:number>/views/", views.file_views, name="file_views"),
    path("retention/", views.retention, name="retention"),
    path("retention/anonymise/", views.anonymise, name="anonymise"),
]
