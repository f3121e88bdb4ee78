from django.urls import path

from mustafid.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("files/<str:number>/", views.file_page, name="file"),
    path("files/<str:number>/members/new/", views.add_member, name="add_member"),
    path("files/<str:number>/edit/", views.edit_profile, name="edit_profile"),
    path("files/<str:number>/incomes/", views.edit_incomes, name="edit_incomes"),
    path(
        "files/<str:number>/members/<int:person_id>/edit/", views.edit_member, name="edit_member"
    ),
]
