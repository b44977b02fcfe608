from django.urls import path

from . import views, views_age, views_data_protection

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_create, name="create"),
    path("<str:child_id>/", views.child_detail, name="detail"),
    path("<str:child_id>/identity/", views.child_identity, name="identity"),
    path("<str:child_id>/identity/change/", views.edit_identity, name="edit_identity"),
    path("<str:child_id>/names/new/", views.add_name, name="add_name"),
    path("<str:child_id>/date-of-birth/new/", views.add_date_of_birth, name="add_date_of_birth"),
    path("<str:child_id>/legal/", views.child_legal, name="legal"),
    path("<str:child_id>/legal-status/new/", views.add_legal_status, name="add_legal_status"),
    path("<str:child_id>/return-facts/change/", views.edit_return_facts, name="edit_return_facts"),
    path("<str:child_id>/periods-looked-after/new/", views.add_period, name="add_period"),
    path("<str:child_id>/timeline/new/", views.add_chronology_entry, name="add_chronology_entry"),
    path("<str:child_id>/access-log/", views.access_log, name="access_log"),
    path("<str:child_id>/age-assessments/new/", views_age.add_age_assessment, name="add_age_assessment"),
    path("<str:child_id>/subject-access/", views_data_protection.subject_access_export, name="subject_access"),
    path("<str:child_id>/restriction/", views_data_protection.restriction, name="restriction"),
]
