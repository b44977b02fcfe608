from django.urls import path

from . import views

app_name = "leaving_care"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("children/<str:child_id>/", views.young_person, name="young_person"),
    path("children/<str:child_id>/contacts/new/", views.add_contact, name="add_contact"),
    path("children/<str:child_id>/pathway-plans/new/", views.add_pathway_plan, name="add_pathway_plan"),
    path("children/<str:child_id>/extensions/new/", views.add_extension, name="add_extension"),
]
# One route per after-18 record, each carrying only the child's identifier.
urlpatterns += [
    path(f"children/<str:child_id>/{kind}/new/", views.add_record, {"kind": kind}, name="add_" + kind.replace("-", "_"))
    for kind in views.RECORDS
]
