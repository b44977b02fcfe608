from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("children/<str:child_id>/", views.child_documents, name="child"),
    path("<uuid:document_id>/", views.download, name="download"),
]
