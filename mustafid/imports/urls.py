from django.urls import path, re_path

from mustafid.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    re_path(r"^(?P<pk>[0-9]+)/report\.(?P<fmt>csv|xlsx)$", views.report_download, name="report"),
]
