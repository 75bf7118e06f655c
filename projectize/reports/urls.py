from django.urls import path

from projectize.reports import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.xlsx", views.chart_export, name="chart_export"),
]
