from django.urls import path

from projectize.install import views

app_name = "install"
urlpatterns = [
    path("", views.first_run, name="first_run"),
    path("towns/new/", views.town_new, name="town_new"),
    path("towns/new/done/", views.town_done, name="town_done"),
]
