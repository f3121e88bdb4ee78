from django.urls import path

from mustafid.core import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/<str:model>/<str:object_id>/", views.audit_trail, name="audit_trail"),
]
