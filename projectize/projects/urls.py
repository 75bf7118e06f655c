from django.urls import path

from projectize.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_edit, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/discussions/new/", views.discussion_new, name="discussion_new"),
    path("calls/<int:call_pk>/apply/", views.application_edit, name="apply"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/application/", views.project_application, name="application"),
    path("<int:pk>/versions/", views.version_diff, name="versions"),
    path("<int:pk>/five-fixed/", views.five_fixed, name="five_fixed"),
    path("<int:pk>/schedule/", views.report_schedule, name="schedule"),
    path("<int:pk>/milestones/<int:milestone_pk>/assess/", views.milestone_assess, name="milestone_assess"),
    path("<int:pk>/reports/<int:report_pk>/", views.report_detail, name="report"),
    path("<int:pk>/changes/new/", views.change_new, name="change_new"),
    path("<int:pk>/acceptance/new/", views.acceptance_new, name="acceptance_new"),
    path("<int:pk>/acceptance/<int:acceptance_pk>/", views.acceptance_detail, name="acceptance"),
    path("<int:pk>/acceptance/<int:acceptance_pk>/conclude/", views.acceptance_conclude, name="acceptance_conclude"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/promotion/", views.promotion, name="promotion"),
]
