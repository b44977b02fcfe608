from django.urls import path

from . import views

app_name = "merging"

urlpatterns = [
    path("children/<str:child_id>/", views.possible, name="possible"),
    path("children/<str:child_id>/propose/", views.propose, name="propose"),
    path("<uuid:merge_id>/", views.detail, name="detail"),
    path("<uuid:merge_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:merge_id>/decline/", views.decline, name="decline"),
    path("<uuid:merge_id>/undo/", views.undo, name="undo"),
]
