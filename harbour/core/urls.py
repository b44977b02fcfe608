from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("timescales/", views.timescales, name="timescales"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("help/", views.help_page, name="help"),
    path("privacy/", views.privacy, name="privacy"),
]
