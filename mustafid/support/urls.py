from django.urls import path

from mustafid.support import views

app_name = "support"

urlpatterns = [
    path("files/<str:number>/checklist/", views.checklist, name="checklist"),
]
