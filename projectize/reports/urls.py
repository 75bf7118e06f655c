from django.urls import path

from projectize.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("annual.<str:fmt>", views.annual_report, name="annual"),
    path("dossier/", views.dossier_pick, name="dossier_pick"),
    path("dossier/<int:pk>/<int:year>.pdf", views.dossier, name="dossier"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.xlsx", views.chart_export, name="chart_export"),
]
