from django.urls import path

from mustafid.registry import views, views_duplicates

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("files/<str:number>/", views.file_page, name="file"),
    path("files/<str:number>/members/new/", views.add_member, name="add_member"),
    path("duplicates/", views_duplicates.worklist, name="duplicates"),
    path("duplicates/<int:pk>/", views_duplicates.compare, name="duplicate"),
    path("duplicates/<int:pk>/dismiss/", views_duplicates.dismiss, name="dismiss_duplicate"),
    path("duplicates/<int:pk>/merge/", views_duplicates.merge_pair, name="merge_duplicate"),
    path("merges/<int:pk>/", views_duplicates.merge_page, name="merge"),
    path("merges/<int:pk>/revert/", views_duplicates.revert, name="revert_merge"),
    path("files/<str:number>/edit/", views.edit_profile, name="edit_profile"),
    path("files/<str:number>/incomes/", views.edit_incomes, name="edit_incomes"),
    path("files/<str:number>/members/<int:person_id>/edit/", views.edit_member, name="edit_member"),
]
