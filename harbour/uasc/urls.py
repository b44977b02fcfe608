from django.urls import path

from . import views

app_name = "uasc"
urlpatterns = [
    path("children/<str:child_id>/", views.asylum, name="asylum"),
    path("children/<str:child_id>/claim/", views.edit_claim, name="edit_claim"),
]
