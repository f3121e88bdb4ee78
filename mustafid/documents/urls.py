from django.urls import path

from mustafid.documents import views

app_name = "documents"

urlpatterns = [
    path("expiring/", views.expiring, name="expiring"),
    path("files/<str:number>/new/", views.add, name="add"),
    path("<int:document_id>/", views.download, name="download"),
    path("<int:document_id>/remove/", views.remove, name="remove"),
]
