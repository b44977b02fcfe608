from __future__ import annotations

from django.urls import path

from . import views

app_name = "allocation"

urlpatterns = [
    path("", views.rota, name="rota"),
    path("workers/new/", views.add_member, name="add_member"),
    path("workers/<int:member_id>/training/", views.record_training, name="training"),
    path("workers/<int:member_id>/move/", views.move, name="move"),
    path("workers/<int:member_id>/active/", views.set_active, name="set_active"),
    path("leave/new/", views.add_leave, name="add_leave"),
    path("practice-leads/new/", views.add_practice_lead, name="add_practice_lead"),
    path("practice-leads/<int:lead_id>/stand-down/", views.stand_down_practice_lead, name="stand_down_practice_lead"),
    path("fairness/", views.fairness, name="fairness"),
    path("children/<str:child_id>/", views.allocate_child, name="child"),
    path("children/<str:child_id>/someone-else/", views.allocate_someone_else, name="override"),
    path("children/<str:child_id>/change/", views.change_social_worker, name="change"),
]
