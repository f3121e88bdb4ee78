from django.urls import path

from mustafid.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("files/<str:number>/", views.file_page, name="file"),
]
