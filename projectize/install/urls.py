from django.urls import path

from projectize.install import views

app_name = "install"
urlpatterns = [
    path("", views.first_run, name="first_run"),
]
